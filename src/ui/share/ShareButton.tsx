import type { ReactElement } from 'react';
import { useLab } from '../store';
import { copyText } from './clipboard';
import { pageBase, shareUrl } from './share-link';
import { useShare } from './share-store';

/** Puts the run on screen into the address bar and the clipboard, and shows the link in case copying is refused. */
export function ShareButton(): ReactElement {
  const hasRun = useLab((s) => s.run !== undefined);
  const share = async () => {
    try {
      const url = await shareUrl(useLab.getState(), pageBase(window.location));
      window.history.replaceState(null, '', url);
      useShare.setState({ share: { url, copied: false } });
      const copied = await copyText(url);
      useShare.setState({ share: { url, copied } });
    } catch (error) {
      useShare.setState({ share: { copied: false, error: error instanceof Error ? error.message : String(error) } });
    }
  };
  return (
    <button type="button" className="btn" data-testid="share-button" disabled={!hasRun} title="A link to this run at this step" onClick={() => void share()}>
      Share
    </button>
  );
}

export function SharePopover(): ReactElement | null {
  const share = useShare((s) => s.share);
  if (!share) return null;
  return (
    <div className="sh-popover" role="dialog" aria-label="Share this run" data-testid="share-dialog">
      {share.error ? (
        <p className="sh-error">The link could not be made: {share.error}</p>
      ) : (
        <>
          <p className="sh-note">{share.copied ? 'Link copied. It opens this scenario at this step, with the same trace.' : 'Copy this link: it opens this scenario at this step, with the same trace.'}</p>
          <input className="sh-url" readOnly data-testid="share-url" value={share.url ?? ''} onFocus={(e) => e.currentTarget.select()} aria-label="Link to this run" />
        </>
      )}
      <button type="button" className="btn btn-small" onClick={() => useShare.setState({ share: undefined })}>
        Close
      </button>
    </div>
  );
}

/** A link that could not be opened: said plainly, above the normal app. */
export function LinkErrorBanner(): ReactElement | null {
  const linkError = useShare((s) => s.linkError);
  if (!linkError) return null;
  return (
    <div className="banner banner-bad" role="alert" data-testid="link-error">
      <strong>This link cannot be opened:</strong> {linkError}. The lab opened its first scenario instead.{' '}
      <button type="button" className="btn btn-small" onClick={() => useShare.setState({ linkError: undefined })}>
        Dismiss
      </button>
    </div>
  );
}
