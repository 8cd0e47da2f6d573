import type { ReactElement } from 'react';
import { useLab } from '../../store';
import { useController } from '../controller-context';
import { MoonIcon, SunIcon } from '../icons';
import { BootStatus } from './BootStatus';
import { ScenarioControls } from './ScenarioControls';
import { EditorButton } from '../../editor/EditorPanel';
import { LearnButton } from '../../learn/LearnPanel';
import { AdrButton } from '../../share/AdrDialog';
import { ShareButton } from '../../share/ShareButton';

export function AppHeader(): ReactElement {
  const controller = useController();
  const theme = useLab((s) => s.theme);
  const compare = useLab((s) => s.compare.enabled);
  return (
    <header className="hd-root">
      <div className="hd-brand">
        <h1>Outbox lab</h1>
        <BootStatus />
      </div>
      {/* Two rows on purpose: the run's ingredients get the full width below the page's actions. */}
      <div className="hd-actions">
        <LearnButton />
        <EditorButton />
        <ShareButton />
        <AdrButton />
        <button
          type="button"
          aria-pressed={compare}
          data-testid="compare-toggle"
          className={compare ? 'btn btn-on' : 'btn'}
          onClick={() => controller.setCompare(!compare)}
        >
          Compare
        </button>
        <button
          type="button"
          className="btn"
          aria-label={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
          data-testid="theme-toggle"
          title={theme === 'dark' ? 'Light theme' : 'Dark theme'}
          onClick={() => controller.setTheme(theme === 'dark' ? 'light' : 'dark')}
        >
          {theme === 'dark' ? <SunIcon /> : <MoonIcon />}
        </button>
        <button type="button" className="btn" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={() => controller.setHelpOpen(true)}>
          ?
        </button>
      </div>
      <ScenarioControls />
    </header>
  );
}
