import type { Broker } from '../infra/broker';
import type { ConsumerId } from '../infra/consumers';
import type { CrashDecision, Kernel } from '../sim/kernel';
import type { Random } from '../sim/random';
import type { Fault } from '../scenario/schema';

interface Trigger {
  nth?: number;
  probability?: number;
  from?: number;
  to?: number;
}

/**
 * A trigger fires the n-th time it is reached within its window, or with a probability each
 * time; with neither, the first time. Each fault draws from its own stream, so adding one
 * fault does not move the dice of another.
 */
function makeTrigger(trigger: Trigger, random: Random, now: () => number): () => boolean {
  let reached = 0;
  return () => {
    const t = now();
    if (trigger.from !== undefined && t < trigger.from) return false;
    if (trigger.to !== undefined && t >= trigger.to) return false;
    reached++;
    if (trigger.probability !== undefined) return random.chance(trigger.probability);
    return reached === (trigger.nth ?? 1);
  };
}

/** Asks every trigger (so each counts this occurrence), then says whether any fired. */
function anyFires(triggers: ReadonlyArray<() => boolean>): boolean {
  let fired = false;
  for (const fires of triggers) fired = fires() || fired;
  return fired;
}

export interface FaultPlan {
  readonly crashDecision: CrashDecision;
  consumerFails(consumer: ConsumerId): boolean;
}

export function describeFault(fault: Fault): string {
  switch (fault.type) {
    case 'crash':
      return `crash at ${fault.point}${fault.nth ? ` (${ordinal(fault.nth)} time)` : ''}${fault.probability !== undefined ? ` (p=${fault.probability})` : ''}`;
    case 'kill':
      return `kill ${fault.actor}${fault.downMs !== undefined ? ` for ${fault.downMs} ms` : ''}`;
    case 'broker-down':
      return `broker down (${fault.mode === 'timeout' ? 'publishes time out' : 'connections refused'})`;
    case 'consumer-error':
      return `${fault.consumer} consumer errors${fault.probability !== undefined ? ` (p=${fault.probability})` : ''}`;
    case 'lose-publish-confirm':
      return `publish confirms lost${fault.probability !== undefined ? ` (p=${fault.probability})` : ''}`;
    case 'poison-message':
      return `the broker rejects ${fault.message}`;
  }
}

const ordinal = (n: number): string => `${n}${n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th'}`;

export function installFaults(
  faults: readonly Fault[],
  world: { kernel: Kernel; broker: Broker; random: Random; actorOfPoint: (point: string) => string | undefined },
): FaultPlan {
  const { kernel, broker } = world;
  const now = () => kernel.now;
  const crashTriggers: Array<{ point: string; actor: string | undefined; fires: () => boolean }> = [];
  const consumerTriggers: Array<{ consumer: ConsumerId; fires: () => boolean }> = [];
  const confirmTriggers: Array<() => boolean> = [];
  const poisoned = new Set<string>();

  faults.forEach((fault, index) => {
    const random = world.random.fork(`fault-${index}`);
    const label = describeFault(fault);
    const window = (from: number | undefined, to: number | undefined, on?: () => void, off?: () => void) => {
      kernel.at(from ?? 0, () => {
        kernel.trace.append({ kind: 'fault', fault: fault.type, state: 'on', detail: label });
        on?.();
      });
      if (to !== undefined) {
        kernel.at(to, () => {
          kernel.trace.append({ kind: 'fault', fault: fault.type, state: 'off', detail: label });
          off?.();
        });
      }
    };
    switch (fault.type) {
      case 'crash':
        crashTriggers.push({ point: fault.point, actor: world.actorOfPoint(fault.point), fires: makeTrigger(fault, random, now) });
        window(fault.from, fault.to);
        break;
      case 'kill':
        kernel.at(fault.at, () => {
          kernel.trace.append({ kind: 'fault', fault: fault.type, state: 'on', detail: label });
          kernel.crash(fault.actor, 'killed', fault.downMs);
        });
        break;
      case 'broker-down':
        window(fault.from, fault.to, () => broker.goDown(fault.mode), () => broker.comeUp());
        break;
      case 'consumer-error':
        consumerTriggers.push({ consumer: fault.consumer, fires: makeTrigger(fault, random, now) });
        window(fault.from, fault.to);
        break;
      case 'lose-publish-confirm':
        confirmTriggers.push(makeTrigger(fault, random, now));
        window(fault.from, fault.to);
        break;
      case 'poison-message':
        poisoned.add(fault.message);
        window(undefined, undefined);
        break;
    }
  });

  broker.loseConfirm = () => anyFires(confirmTriggers);
  broker.rejects = (messageId) => poisoned.has(messageId);
  return {
    crashDecision: (actor, point) =>
      anyFires(crashTriggers.filter((t) => t.point === point && (t.actor ?? actor) === actor).map((t) => t.fires)),
    consumerFails: (consumer) => anyFires(consumerTriggers.filter((t) => t.consumer === consumer).map((t) => t.fires)),
  };
}
