import { useEffect, useRef, useState, type ReactElement } from 'react';
import { adrMarkdown } from '../../report/adr';
import { useController } from '../app/controller-context';
import { useLab } from '../store';
import { adrRuns } from './adr-runs';
import { copyText, downloadText } from './clipboard';
import { diagramSvg } from './diagram-svg';
import { pageBase, shareUrl } from './share-link';
import { useShare } from './share-store';

export function AdrButton(): ReactElement {
  const hasRun = useLab((s) => s.run !== undefined);
  return (
    <button type="button" className="btn" data-testid="adr-button" disabled={!hasRun} title="Markdown for an architecture decision record" onClick={() => useShare.setState({ adrOpen: true })}>
      Export for ADR
    </button>
  );
}

type Built = { status: 'building' } | { status: 'ready'; markdown: string; permalink: string } | { status: 'failed'; error: string };

/** The ADR snippet (checker table per strategy, Mermaid sequence diagram, permalink) with Copy and Download, plus the diagram as SVG. */
export function AdrDialog(): ReactElement | null {
  const controller = useController();
  const open = useShare((s) => s.adrOpen);
  const [built, setBuilt] = useState<Built>({ status: 'building' });
  const [copied, setCopied] = useState<boolean | undefined>();
  const closeButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    let current = true;
    setBuilt({ status: 'building' });
    setCopied(undefined);
    closeButton.current?.focus();
    (async () => {
      const state = useLab.getState();
      const permalink = await shareUrl(state, pageBase(window.location));
      const runs = await adrRuns(state, (scenario) => controller.runScenario(scenario));
      return { markdown: adrMarkdown({ scenario: runs[0]!.scenario, runs, permalink }), permalink };
    })().then(
      (ready) => current && setBuilt({ status: 'ready', ...ready }),
      (error: unknown) => current && setBuilt({ status: 'failed', error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      current = false;
    };
  }, [open, controller]);

  if (!open) return null;
  const close = () => useShare.setState({ adrOpen: false });
  const name = useLab.getState().run?.result.scenario.name ?? 'scenario';
  const downloadDiagram = () => {
    const root = document.querySelector('.dg-root');
    if (root) downloadText(`${name}-diagram.svg`, diagramSvg(root), 'image/svg+xml');
  };
  return (
    <div className="help-backdrop" onClick={close}>
      <div className="help-dialog adr-dialog" role="dialog" aria-modal="true" aria-labelledby="adr-title" data-testid="adr-dialog" onClick={(e) => e.stopPropagation()}>
        <h2 id="adr-title">Export for ADR</h2>
        {built.status === 'building' && <p role="status">Running the compared strategies and writing the Markdown…</p>}
        {built.status === 'failed' && (
          <p className="adr-error" role="alert">
            The export failed: {built.error}
          </p>
        )}
        {built.status === 'ready' && (
          <>
            <p className="adr-note">Checker table per strategy, a Mermaid sequence diagram of the key messages, and a link that reopens this exact run.</p>
            <textarea className="adr-markdown" readOnly data-testid="adr-markdown" value={built.markdown} rows={16} spellCheck={false} />
          </>
        )}
        <div className="adr-actions">
          <button
            type="button"
            className="btn btn-on"
            data-testid="adr-copy"
            disabled={built.status !== 'ready'}
            onClick={() => built.status === 'ready' && void copyText(built.markdown).then(setCopied)}
          >
            {copied ? 'Copied' : 'Copy'}
          </button>
          <button
            type="button"
            className="btn"
            data-testid="adr-download"
            disabled={built.status !== 'ready'}
            onClick={() => built.status === 'ready' && downloadText(`${name}-adr.md`, built.markdown, 'text/markdown')}
          >
            Download .md
          </button>
          <button type="button" className="btn" data-testid="adr-diagram-svg" onClick={downloadDiagram}>
            Diagram as SVG
          </button>
          <button ref={closeButton} type="button" className="btn" onClick={close}>
            Close
          </button>
          {copied === false && <span className="adr-error">Copying was refused: select the text and copy it.</span>}
        </div>
      </div>
    </div>
  );
}
