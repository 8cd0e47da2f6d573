import { useCallback, useMemo } from 'react';
import { check } from '../../../checker/checker';
import type { Token } from '../../derive/diagram';
import { diagramAt } from '../../derive/diagram';
import type { RunView } from '../../store';
import { useLab, virtualNowMs } from '../../store';
import { useController } from '../controller-context';
import { killableActors } from '../scenario/compose';
import { armCrashPoint } from '../scenario/inject';

/**
 * Everything a run's views show at a cursor, derived from the trace alone (counters, diagram),
 * plus the handlers that turn clicks on the diagram into faults. Memoised per (trace, cursor):
 * a scrub recomputes once, a re-render for another reason not at all.
 */
export function useRunViews(run: RunView, cursor: number) {
  const controller = useController();
  const { trace, scenario } = run.result;
  const strategy = scenario.strategy;
  const verdict = useMemo(() => check(trace, cursor), [trace, cursor]);
  const diagram = useMemo(() => diagramAt(trace, cursor, strategy), [trace, cursor, strategy]);
  const faults = useLab((s) => s.faults);
  const armedPoints = useMemo(
    () => faults.flatMap(({ fault }) => (fault.type === 'crash' ? [fault.point] : [])),
    [faults],
  );
  const onCrashPointClick = useCallback(
    (point: string) => controller.inject(armCrashPoint(point, virtualNowMs(useLab.getState()))),
    [controller],
  );
  const onActorClick = useCallback(
    (nodeId: string) => {
      if (killableActors(strategy).includes(nodeId)) controller.targetActor(nodeId);
    },
    [controller, strategy],
  );
  const onTokenClick = useCallback((token: Token) => controller.selectToken(token), [controller]);
  return { verdict, diagram, armedPoints, onCrashPointClick, onActorClick, onTokenClick };
}
