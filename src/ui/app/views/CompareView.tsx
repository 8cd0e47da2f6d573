import type { ReactElement } from 'react';
import { strategies } from '../../../strategies';
import { CheckerPanel } from '../../components/CheckerPanel';
import { Diagram } from '../../components/Diagram';
import { compareCursor, mainCursor, useLab, type RunView } from '../../store';
import { useController } from '../controller-context';
import { FaultList } from '../faults/FaultList';
import { ScenarioPanel } from '../scenario/ScenarioPanel';
import { useRunViews } from './useRunViews';

/** "What would the other strategy have done here?": two runs, same seed and faults, same virtual moment. */
export function CompareView({ left }: { left: RunView }): ReactElement {
  const controller = useController();
  const right = useLab((s) => s.compare.run);
  const rightStrategy = useLab((s) => s.compare.strategy);
  const leftCursor = useLab(mainCursor);
  const rightCursor = useLab(compareCursor);
  return (
    <div className="cmp-root" data-testid="compare-view">
      <label className="cmp-picker">
        <span>
          Comparing <strong>{strategies.find((s) => s.id === left.result.scenario.strategy)?.title}</strong> with
        </span>
        <select data-testid="compare-strategy-picker" value={rightStrategy} onChange={(e) => controller.chooseCompareStrategy(e.target.value)}>
          {strategies.map((s) => (
            <option key={s.id} value={s.id}>
              {s.title}
            </option>
          ))}
        </select>
        <span>on the same seed and faults, at the same virtual time</span>
      </label>
      <div className="cmp-columns">
        <ComparedRun run={left} cursor={leftCursor} side="left" onViolationClick={(i) => controller.seekMain(i + 1)} />
        {right ? (
          <ComparedRun run={right} cursor={rightCursor} side="right" onViolationClick={(i) => controller.seekCompared(i + 1)} />
        ) : (
          <p className="cmp-waiting">Running {rightStrategy} on the same seed and faults…</p>
        )}
      </div>
      <FaultList />
      <ScenarioPanel />
    </div>
  );
}

interface ComparedRunProps {
  readonly run: RunView;
  readonly cursor: number;
  readonly side: 'left' | 'right';
  readonly onViolationClick: (index: number) => void;
}

function ComparedRun({ run, cursor, side, onViolationClick }: ComparedRunProps): ReactElement {
  const views = useRunViews(run, cursor);
  const strategy = strategies.find((s) => s.id === run.result.scenario.strategy);
  return (
    <section className="cmp-column" aria-label={`${strategy?.title ?? run.result.scenario.strategy} (${side})`} data-testid={`compare-${side}`}>
      <h2 className="cmp-title">{strategy?.title ?? run.result.scenario.strategy}</h2>
      <div className="cmp-checker">
        <CheckerPanel verdict={views.verdict} title={`Checker · ${run.result.scenario.strategy}`} onViolationClick={onViolationClick} />
      </div>
      <div className="cmp-diagram">
        <Diagram
          state={views.diagram}
          armedPoints={views.armedPoints}
          onCrashPointClick={views.onCrashPointClick}
          onActorClick={views.onActorClick}
          onTokenClick={views.onTokenClick}
        />
      </div>
    </section>
  );
}
