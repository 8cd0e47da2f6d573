import { useMemo, type ReactElement } from 'react';
import { CheckerPanel } from '../../components/CheckerPanel';
import { Diagram } from '../../components/Diagram';
import { Narration } from '../../components/Narration';
import { narrate } from '../../derive/narrate';
import { mainCursor, useLab, type RunView } from '../../store';
import { useController } from '../controller-context';
import { FaultList } from '../faults/FaultList';
import { ScenarioPanel } from '../scenario/ScenarioPanel';
import { StrategySummary } from './StrategySummary';
import { TokenDetails } from './TokenDetails';
import { useRunViews } from './useRunViews';
import { useShownDescription } from '../../learn/useShownDescription';

/** One run: the diagram and what happens in words on the left, the checker's verdict on the right. */
export function SingleRunView({ run }: { run: RunView }): ReactElement {
  const controller = useController();
  const cursor = useLab(mainCursor);
  const selectedToken = useLab((s) => s.selectedToken?.key);
  const views = useRunViews(run, cursor);
  const { trace, scenario } = run.result;
  const sentence = useMemo(
    () => (cursor > 0 ? narrate(trace[cursor - 1]!, { strategyId: scenario.strategy, trace }) : 'Press play (or →) to watch the run step by step.'),
    [trace, cursor, scenario.strategy],
  );
  return (
    <div className="layout-top">
      <div className="layout-stage">
        <div className="layout-diagram">
          <Diagram
            state={views.diagram}
            armedPoints={views.armedPoints}
            onCrashPointClick={views.onCrashPointClick}
            onActorClick={views.onActorClick}
            onTokenClick={views.onTokenClick}
            selectedToken={selectedToken}
          />
          <TokenDetails />
        </div>
        <Narration markdown={useShownDescription(scenario.description)} sentence={sentence} />
        <StrategySummary strategyId={scenario.strategy} />
        <FaultList />
        <ScenarioPanel />
      </div>
      <aside className="layout-side">
        <CheckerPanel verdict={views.verdict} title={`Checker · ${scenario.strategy}`} onViolationClick={(i) => controller.seekMain(i + 1)} />
      </aside>
    </div>
  );
}
