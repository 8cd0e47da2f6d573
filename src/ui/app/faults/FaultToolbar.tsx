import { useState, type ReactElement } from 'react';
import { CONSUMER_IDS, type ConsumerId } from '../../../infra/consumers';
import { actorLabel } from '../../derive/names';
import { useLab, virtualNowMs } from '../../store';
import { useController } from '../controller-context';
import { killableActors } from '../scenario/compose';
import { brokerDownNow, consumerFailsForAWhile, crashActorNow, loseNextPublishConfirm, openBrokerOutage, CONSUMER_FAILURE_MS } from '../scenario/inject';

/** Break things now: each button adds a fault starting at the virtual time on screen and re-runs. */
export function FaultToolbar(): ReactElement {
  const controller = useController();
  const strategy = useLab((s) => s.strategy);
  const nowMs = useLab(virtualNowMs);
  const hasRun = useLab((s) => s.run !== undefined);
  const running = useLab((s) => s.running);
  const brokerOutageOpen = useLab((s) => openBrokerOutage(s.faults.map((f) => f.fault), virtualNowMs(s)) >= 0);
  const actors = killableActors(strategy);
  const chosen = useLab((s) => s.targetActor);
  const actor = chosen && actors.includes(chosen) ? chosen : actors[0]!;
  const [consumer, setConsumer] = useState<ConsumerId>('email');
  const disabled = !hasRun || running;
  return (
    <section className="ft-root" aria-label="Inject a fault">
      <div className="ft-row">
        <h2 className="ft-title" title="Arm a crash point: click a ↯ marker on an arrow in the diagram. Click a box to pick the actor to crash.">
          Break it at {nowMs.toLocaleString('en')} ms:
        </h2>
        <span className="ft-group">
          <select aria-label="Actor to crash" data-testid="crash-actor" value={actor} onChange={(e) => controller.targetActor(e.target.value)}>
            {actors.map((id) => (
              <option key={id} value={id}>
                {actorLabel(id)}
              </option>
            ))}
          </select>
          <button type="button" className="btn btn-bad" disabled={disabled} onClick={() => controller.inject(crashActorNow(actor, nowMs))}>
            Crash now
          </button>
        </span>
        {brokerOutageOpen ? (
          <button type="button" className="btn" data-testid="broker-up" disabled={disabled} onClick={() => controller.bringBrokerUp()}>
            Bring broker up
          </button>
        ) : (
          <button type="button" className="btn btn-bad" data-testid="broker-down" disabled={disabled} onClick={() => controller.inject(brokerDownNow(nowMs))}>
            Take broker down
          </button>
        )}
        <span className="ft-group">
          <select aria-label="Consumer to fail" value={consumer} onChange={(e) => setConsumer(e.target.value as ConsumerId)}>
            {CONSUMER_IDS.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
          <button type="button" className="btn btn-bad" disabled={disabled} onClick={() => controller.inject(consumerFailsForAWhile(consumer, nowMs))}>
            Fail for {CONSUMER_FAILURE_MS / 1000} s
          </button>
        </span>
        <button type="button" className="btn btn-bad" disabled={disabled} onClick={() => controller.inject(loseNextPublishConfirm(nowMs))}>
          Lose next publish confirm
        </button>
      </div>
    </section>
  );
}
