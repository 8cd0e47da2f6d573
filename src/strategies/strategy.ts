import type { z } from 'zod';
import type { ConsumerId, Effect } from '../infra/consumers';
import type { Command } from '../infra/domain';
import type { Random } from '../sim/random';
import type { DomainEvent } from '../sim/trace';
import type { Database } from '../world/database';
import type { MessageBroker } from '../world/message-broker';
import type { ActorSpec, Process, Runtime } from '../world/runtime';

/**
 * One strategy = one way for a command's side effects to leave the command handler.
 * Every strategy is one module exporting `defineStrategy({...})`, listed once in ./index.ts;
 * the kernel and the infrastructure know nothing of any particular one.
 */
export const STRATEGY_IDS = ['poller', 'outbox', 'process-manager', 'direct-publish', 'two-phase-commit'] as const;
export type StrategyId = (typeof STRATEGY_IDS)[number];

/** The actor that runs command handlers; every strategy's `handleCommand` runs as it. */
export const API_ACTOR = 'api';

export interface CrashPoint {
  /** Scenario files name it: `{ type: crash, point: after-commit }`. */
  readonly id: string;
  /** The actor that dies there. */
  readonly actor: string;
  readonly description: string;
  /**
   * Reached by every actor of a pool (outbox workers); `actor` names the pool's first. A crash
   * fault at such a point kills whichever member reaches it, not only `actor`.
   */
  readonly sharedByPool?: boolean;
}

/**
 * What the world hands a strategy when a run starts: ports only, so the same module runs in the
 * simulator (virtual clock, PGlite, in-memory broker) and on a real PostgreSQL and RabbitMQ.
 */
export interface StrategyWorld<Options> {
  /** Time and actors: the simulator's kernel, or real timers and async loops. */
  readonly kernel: Runtime;
  readonly db: Database;
  readonly broker: MessageBroker;
  readonly options: Options;
  /** The strategy's own stream of the run's randomness (backoff jitter, ...). */
  readonly random: Random;
  /** The command's state change is durable: records it, with the effects it obliges, in the trace. */
  committed(actor: string, command: Command, events: DomainEvent[]): void;
  /** The command was refused or failed before anything committed. */
  rejected(command: Command, reason: string): void;
  /** LISTEN on a channel for the rest of the run; the callback runs inside the notifying step. */
  listen(channel: string, onNotify: () => void): Promise<void>;
  /**
   * For strategies that perform a service's side effects themselves (pollers, outbox workers):
   * the consumer services the scenario subscribes, how slow each one's call is, and whether the
   * fault plan makes this call fail. Record a performed effect with `effectPerformed` after the
   * transaction that wrote it committed.
   */
  readonly services: readonly ConsumerId[];
  effectLatencyMs(service: ConsumerId): number;
  effectFails(service: ConsumerId): boolean;
  effectPerformed(service: ConsumerId, event: DomainEvent, effect: Effect): void;
  /**
   * The scenario's `consumers.idempotent`: a strategy performing effects itself makes them
   * idempotent as such a consumer would (the effect's key in the service's inbox, same transaction).
   */
  readonly idempotentConsumers: boolean;
}

export interface StrategyRuntime {
  /** Background actors the strategy needs (relay, poller, coordinator, ...). */
  readonly actors: readonly ActorSpec[];
  /** The command handler for one command, run as the `api` actor. */
  handleCommand(command: Command): Process;
}

export interface Strategy<Options = unknown> {
  readonly id: StrategyId;
  readonly title: string;
  /** One paragraph: what it does and what it costs. */
  readonly summary: string;
  /** Its own tables, created in a blank database before each run. */
  readonly schemaSql: string;
  readonly crashPoints: readonly CrashPoint[];
  /** Validates and completes `options:` of a scenario; every field has a default. */
  readonly options: z.ZodType<Options>;
  /**
   * Of the subscribed services, those whose effects this strategy performs itself (no broker
   * queue, no consumer actor is started for them). Omitted: every service consumes from the broker.
   */
  performsEffectsOf?(services: readonly ConsumerId[]): ConsumerId[];
  /** The background actors a run with these options starts (relay, relay-2, ...), for validating `kill` faults. */
  actorIds(options: Options, services: readonly ConsumerId[]): string[];
  start(world: StrategyWorld<Options>): StrategyRuntime | Promise<StrategyRuntime>;
}

export function defineStrategy<Options>(strategy: Strategy<Options>): Strategy<Options> {
  return strategy;
}
