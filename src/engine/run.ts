import type { PGlite } from '@electric-sql/pglite';
import { check, type Verdict } from '../checker/checker';
import { Broker } from '../infra/broker';
import {
  CONSUMER_SCHEMA_SQL, CONSUMERS, afterEffectPoint, consumerActor, consumerProcess, consumerQueue, expectedEffects,
  type ConsumerId,
} from '../infra/consumers';
import { resetDatabase, SimDatabase } from '../infra/database';
import { DOMAIN_SCHEMA_SQL, generateWorkload, type Command } from '../infra/domain';
import type { Scenario } from '../scenario/schema';
import { Kernel, type RunEndReason } from '../sim/kernel';
import { traceHash, type TraceEntry, type TraceListener } from '../sim/trace';
import { findStrategy } from '../strategies';
import { API_ACTOR, type CrashPoint, type Strategy, type StrategyWorld } from '../strategies/strategy';
import { installFaults } from './faults';

/** Virtual ms costs of the world's basic operations. */
export const COSTS = { statementMs: 1, publishMs: 2, consumerIdleMs: 1_000, actorRestartMs: 250 } as const;

export interface RunResult {
  readonly scenario: Scenario;
  readonly trace: readonly TraceEntry[];
  readonly verdict: Verdict;
  readonly traceHash: string;
  readonly steps: number;
  readonly endReason: RunEndReason;
}

/** Crash points every strategy has: the consumer services' own. */
export function infrastructureCrashPoints(): CrashPoint[] {
  return (Object.keys(CONSUMERS) as ConsumerId[]).map((id) => ({
    id: afterEffectPoint(id),
    actor: consumerActor(id),
    description: `The ${id} service performed its effects and dies before acknowledging: the message is redelivered.`,
  }));
}

export function crashPointsOf(strategy: Strategy<any>): CrashPoint[] {
  return [...strategy.crashPoints, ...infrastructureCrashPoints()];
}

/** The tables a run of this strategy starts from: the domain's, the services' and the strategy's own. */
export function worldSchemaSql(strategy: Strategy<any>): string[] {
  return [DOMAIN_SCHEMA_SQL, CONSUMER_SCHEMA_SQL, strategy.schemaSql];
}

/** The commands the scenario's client will issue, with the virtual ms at which it issues them. */
export function plannedCommands(scenario: Scenario, seed = scenario.seed): Array<{ at: number; command: Command }> {
  const { workload } = scenario;
  if (workload.script) {
    const announceAs = scenario.domain.announceAcceptedInvitationAs;
    return workload.script.map((s, index) => ({
      at: s.at,
      command: {
        id: `cmd-${index + 1}`,
        type: s.command,
        applicationId: s.application,
        ...(s.person ? { person: s.person } : {}),
        ...(s.command === 'accept-invitation' ? { announceAs } : {}),
      },
    }));
  }
  const random = new Kernel(seed, { maxSteps: 0, maxVirtualMs: 0 }).random.fork('workload');
  return generateWorkload(random, workload.commands).map((command, index) => ({ at: index * workload.interval, command }));
}

/**
 * Runs a scenario to quiescence (or its limits) on the given Postgres and returns the trace
 * with the checker's verdict. The database is reset first, so a reused instance gives the
 * same trace as a fresh one.
 */
export async function runScenario(
  pg: PGlite,
  scenario: Scenario,
  hooks: { onEntry?: TraceListener } = {},
): Promise<RunResult> {
  const strategy = findStrategy(scenario.strategy);
  if (!strategy) throw new Error(`strategy '${scenario.strategy}' is not registered`);
  const options = strategy.options.parse(scenario.options);
  await resetDatabase(pg, worldSchemaSql(strategy));

  const kernel = new Kernel(scenario.seed, scenario.limits);
  if (hooks.onEntry) kernel.trace.subscribe(hooks.onEntry);
  kernel.trace.append({ kind: 'run-start', scenario: scenario.name, strategy: strategy.id, seed: scenario.seed, options });

  const db = new SimDatabase(pg, kernel, { statementMs: COSTS.statementMs });
  const broker = new Broker(kernel, { publishMs: COSTS.publishMs, ...scenario.broker });
  const services = scenario.consumers.services;
  const unlisten: Array<() => Promise<void>> = [];
  let consumerFails: (service: ConsumerId) => boolean = () => false;
  const latencyOf = (id: ConsumerId) => scenario.consumers.latencyMs[id] ?? CONSUMERS[id].defaultLatencyMs;

  const world: StrategyWorld<unknown> = {
    kernel,
    db,
    broker,
    options,
    random: kernel.random.fork('strategy'),
    committed: (actor, command, events) =>
      kernel.trace.append({
        kind: 'commit',
        actor,
        commandId: command.id,
        events,
        expects: events.flatMap((event) => expectedEffects(event, services)),
      }),
    rejected: (command, reason) => kernel.trace.append({ kind: 'command-rejected', commandId: command.id, reason }),
    listen: async (channel, onNotify) => {
      unlisten.push(await pg.listen(channel, onNotify));
    },
    services,
    effectLatencyMs: latencyOf,
    effectFails: (service) => consumerFails(service),
    idempotentConsumers: scenario.consumers.idempotent,
    effectPerformed: (service, event, effect) =>
      kernel.trace.append({ kind: 'effect', consumer: service, key: effect.key, eventId: event.id, aggregateId: event.aggregateId, version: event.version }),
  };

  try {
    const runtime = await strategy.start(world);
    const crashPoints = crashPointsOf(strategy);
    const faults = installFaults(scenario.faults, {
      kernel,
      broker,
      random: kernel.random.fork('faults'),
      actorOfPoint: (point) => {
        const found = crashPoints.find((p) => p.id === point);
        return found?.sharedByPool ? undefined : found?.actor;
      },
    });
    kernel.decideCrashesWith(faults.crashDecision);
    consumerFails = faults.consumerFails;

    kernel.addActor({ id: API_ACTOR, restartDelayMs: COSTS.actorRestartMs });
    for (const actor of runtime.actors) kernel.addActor(actor);
    const performedByStrategy = new Set(runtime.performsEffectsOf ?? []);
    for (const id of services.filter((service) => !performedByStrategy.has(service))) {
      const queue = consumerQueue(id);
      const actor = consumerActor(id);
      broker.declareQueue(queue, actor, CONSUMERS[id].bindings);
      const consume = consumerProcess(id, { kernel, db, broker }, {
        idempotent: scenario.consumers.idempotent,
        latencyMs: latencyOf(id),
        idleMs: COSTS.consumerIdleMs,
        fails: faults.consumerFails,
      });
      kernel.addActor({
        id: actor,
        restartDelayMs: COSTS.actorRestartMs,
        onStart: () => kernel.spawn(actor, consume()),
        onCrash: () => broker.consumerLost(queue),
      });
    }
    kernel.addQuietCheck(() => broker.isIdle());

    for (const { at, command } of plannedCommands(scenario)) {
      kernel.at(at, () => {
        kernel.trace.append({ kind: 'command', commandId: command.id, command: command.type, aggregateId: command.applicationId });
        if (!kernel.spawn(API_ACTOR, runtime.handleCommand(command))) {
          kernel.trace.append({ kind: 'command-rejected', commandId: command.id, reason: 'command handler is down' });
        }
      });
    }

    kernel.start();
    const endReason = await kernel.run();
    const verdict = check(kernel.trace.entries);
    kernel.trace.append({ kind: 'verdict', counters: { ...verdict.counters } });
    return {
      scenario,
      trace: kernel.trace.entries,
      verdict,
      traceHash: traceHash(kernel.trace.entries),
      steps: kernel.stepCount,
      endReason,
    };
  } finally {
    for (const stop of unlisten) await stop();
  }
}
