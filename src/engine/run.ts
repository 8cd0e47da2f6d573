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
import { createRandom } from '../sim/random';
import { traceHash, type TraceEntry, type TraceListener } from '../sim/trace';
import { crashPointsOf, findStrategy } from '../strategies';
import { API_ACTOR, type CrashPoint, type Strategy, type StrategyRuntime, type StrategyWorld } from '../strategies/strategy';
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
  // The run's own stream (the kernel's random is createRandom(seed)), forked the same way.
  const random = createRandom(seed).fork('workload');
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
  const broker = new Broker(kernel, { publishMs: COSTS.publishMs, ...scenario.broker });
  const world = createWorld(pg, kernel, broker, scenario, options);
  try {
    const runtime = await strategy.start(world);
    const faults = installFaults(scenario.faults, {
      kernel,
      broker,
      random: kernel.random.fork('faults'),
      actorOfPoint: actorOfPointIn(strategy),
    });
    kernel.decideCrashesWith(faults.crashDecision);
    world.consumerFails = faults.consumerFails;

    kernel.addActor({ id: API_ACTOR, restartDelayMs: COSTS.actorRestartMs });
    for (const actor of runtime.actors) kernel.addActor(actor);
    startBrokerConsumers(world, scenario, new Set(strategy.performsEffectsOf?.(scenario.consumers.services) ?? []));
    scheduleWorkload(kernel, scenario, runtime);

    kernel.start();
    const endReason = await kernel.run();
    const verdict = check(kernel.trace.entries);
    kernel.trace.append({ kind: 'verdict', counters: { ...verdict.counters } });
    return { scenario, trace: kernel.trace.entries, verdict, traceHash: traceHash(kernel.trace.entries), steps: kernel.stepCount, endReason };
  } finally {
    for (const stop of world.unlisten) await stop();
  }
}

/** The world a strategy is handed, plus what the run itself needs to finish wiring it. */
interface RunWorld extends StrategyWorld<unknown> {
  readonly kernel: Kernel;
  readonly db: SimDatabase;
  readonly broker: Broker;
  readonly unlisten: Array<() => Promise<void>>;
  /** Set once the fault plan exists; strategies and consumers ask through it. */
  consumerFails: (service: ConsumerId) => boolean;
}

function createWorld(pg: PGlite, kernel: Kernel, broker: Broker, scenario: Scenario, options: unknown): RunWorld {
  const services = scenario.consumers.services;
  const db = new SimDatabase(pg, kernel, { statementMs: COSTS.statementMs });
  const world: RunWorld = {
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
      world.unlisten.push(await db.listen(channel, onNotify));
    },
    services,
    effectLatencyMs: (service) => latencyOf(scenario, service),
    effectFails: (service) => world.consumerFails(service),
    idempotentConsumers: scenario.consumers.idempotent,
    effectPerformed: (service, event, effect) =>
      kernel.trace.append({ kind: 'effect', consumer: service, key: effect.key, eventId: event.id, aggregateId: event.aggregateId, version: event.version }),
    unlisten: [],
    consumerFails: () => false,
  };
  return world;
}

const latencyOf = (scenario: Scenario, id: ConsumerId): number => scenario.consumers.latencyMs[id] ?? CONSUMERS[id].defaultLatencyMs;

/** A crash fault at a point names the actor that dies there, except at points a whole pool reaches. */
function actorOfPointIn(strategy: Strategy<any>): (point: string) => string | undefined {
  const crashPoints = crashPointsOf(strategy);
  return (point) => {
    const found = crashPoints.find((p) => p.id === point);
    return found?.sharedByPool ? undefined : found?.actor;
  };
}

/** A queue and a consumer actor for every subscribed service whose effects the strategy does not perform itself. */
function startBrokerConsumers(world: RunWorld, scenario: Scenario, performedByStrategy: ReadonlySet<ConsumerId>): void {
  const { kernel, broker } = world;
  for (const id of scenario.consumers.services.filter((service) => !performedByStrategy.has(service))) {
    const queue = consumerQueue(id);
    const actor = consumerActor(id);
    broker.declareQueue(queue, actor, CONSUMERS[id].bindings);
    const consume = consumerProcess(id, world, {
      idempotent: scenario.consumers.idempotent,
      latencyMs: latencyOf(scenario, id),
      idleMs: COSTS.consumerIdleMs,
      fails: (service) => world.consumerFails(service),
    });
    kernel.addActor({
      id: actor,
      restartDelayMs: COSTS.actorRestartMs,
      onStart: () => kernel.spawn(actor, consume()),
      onCrash: () => broker.consumerLost(queue),
    });
  }
  kernel.addQuietCheck(() => broker.isIdle());
}

/** The client: each planned command reaches the command handler at its instant, or is refused while it is down. */
function scheduleWorkload(kernel: Kernel, scenario: Scenario, runtime: StrategyRuntime): void {
  for (const { at, command } of plannedCommands(scenario)) {
    kernel.at(at, () => {
      kernel.trace.append({ kind: 'command', commandId: command.id, command: command.type, aggregateId: command.applicationId });
      if (!kernel.spawn(API_ACTOR, runtime.handleCommand(command))) {
        kernel.trace.append({ kind: 'command-rejected', commandId: command.id, reason: 'command handler is down' });
      }
    });
  }
}
