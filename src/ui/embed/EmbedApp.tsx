import './embed.css';
import type { ReactElement } from 'react';
import { useController } from '../app/controller-context';
import { BootStatus } from '../app/header/BootStatus';
import { useKeyboard } from '../app/overlay/useKeyboard';
import { PlaybackControls } from '../app/playback/PlaybackControls';
import { ProblemsBanner } from '../app/ProblemsBanner';
import { CompareView } from '../app/views/CompareView';
import { useRunViews } from '../app/views/useRunViews';
import { CheckerPanel } from '../components/CheckerPanel';
import { Diagram } from '../components/Diagram';
import { LinkErrorBanner } from '../share/ShareButton';
import { mainCursor, useLab, type RunView } from '../store';
import { fullLabUrl } from './embed-mode';

/** Embed mode: only the diagram, the playback controls and the checker, for an iframe; no pickers, no database panel. */
export function EmbedApp(): ReactElement {
  const controller = useController();
  useKeyboard(controller);
  const run = useLab((s) => s.run);
  const compare = useLab((s) => s.compare.enabled);
  const running = useLab((s) => s.running);
  return (
    <div className="app app-embed" data-run-id={run?.runId ?? 0} data-running={running} data-testid="embed">
      <div className="em-bar">
        <strong className="em-title">{run?.result.scenario.title ?? 'Outbox lab'}</strong>
        <BootStatus />
        <a className="em-open" href={fullLabUrl(window.location)} target="_blank" rel="noopener">
          Open in the lab ↗
        </a>
      </div>
      <LinkErrorBanner />
      <PlaybackControls />
      <ProblemsBanner />
      {run ? compare ? <CompareView left={run} /> : <EmbedRun run={run} /> : <p className="em-waiting">Starting Postgres…</p>}
    </div>
  );
}

function EmbedRun({ run }: { run: RunView }): ReactElement {
  const controller = useController();
  const cursor = useLab(mainCursor);
  const views = useRunViews(run, cursor);
  return (
    <div className="em-stage">
      <div className="em-diagram">
        <Diagram state={views.diagram} armedPoints={views.armedPoints} onCrashPointClick={views.onCrashPointClick} onActorClick={views.onActorClick} onTokenClick={views.onTokenClick} />
      </div>
      <div className="em-checker">
        <CheckerPanel verdict={views.verdict} title={`Checker · ${run.result.scenario.strategy}`} onViolationClick={(i) => controller.seekMain(i + 1)} />
      </div>
    </div>
  );
}
