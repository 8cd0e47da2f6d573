import type { ReactElement } from 'react';
import { Charts } from './components/Charts';
import { EventLog } from './components/EventLog';
import { useController } from './app/controller-context';
import { DatabasePanel } from './app/database/DatabasePanel';
import { AppHeader } from './app/header/AppHeader';
import { HelpOverlay } from './app/overlay/HelpOverlay';
import { useKeyboard } from './app/overlay/useKeyboard';
import { FaultToolbar } from './app/faults/FaultToolbar';
import { PlaybackControls } from './app/playback/PlaybackControls';
import { ProblemsBanner } from './app/ProblemsBanner';
import { CompareView } from './app/views/CompareView';
import { SingleRunView } from './app/views/SingleRunView';
import { EditorPanel } from './editor/EditorPanel';
import { LearnPanel } from './learn/LearnPanel';
import { PredictPanel } from './learn/PredictPanel';
import { AdrDialog } from './share/AdrDialog';
import { LinkErrorBanner, SharePopover } from './share/ShareButton';
import { mainCursor, useLab } from './store';

export function App(): ReactElement {
  const controller = useController();
  useKeyboard(controller);
  const run = useLab((s) => s.run);
  const compare = useLab((s) => s.compare.enabled);
  const cursor = useLab(mainCursor);
  const boot = useLab((s) => s.boot);
  const running = useLab((s) => s.running);
  // For tests and tools that wait for a re-run: which run is on screen, and whether another is coming.
  return (
    <div className="app" data-run-id={run?.runId ?? 0} data-running={running}>
      <AppHeader />
      {/* Both stay in reach while scrolling: a presenter breaks things while looking at the tables. */}
      <div className="app-bars">
        <PlaybackControls />
        {run && <FaultToolbar />}
      </div>
      <LinkErrorBanner />
      <ProblemsBanner />
      <PredictPanel />
      <main className="app-main">
        {run ? (
          <>
            {compare ? <CompareView left={run} /> : <SingleRunView run={run} />}
            <div className="layout-bottom">
              <DatabasePanel />
              <section className="panel layout-log" aria-label="Event log">
                <EventLog trace={run.result.trace} cursor={cursor} onSelect={(i) => controller.seekMain(i + 1)} strategyId={run.result.scenario.strategy} />
              </section>
            </div>
            <section className="panel layout-charts" aria-label="Charts">
              <Charts trace={run.result.trace} cursor={cursor} />
            </section>
          </>
        ) : (
          <div className="app-waiting" aria-busy={boot.phase !== 'failed'}>
            <p className="app-waiting-phase">{boot.phase === 'ready' ? 'Running the scenario…' : boot.phase === 'failed' ? 'Postgres could not start.' : `${boot.phase}…`}</p>
            {boot.detail && <p className="app-waiting-detail">{boot.detail}</p>}
          </div>
        )}
      </main>
      <HelpOverlay />
      <SharePopover />
      <AdrDialog />
      <LearnPanel />
      <EditorPanel />
    </div>
  );
}
