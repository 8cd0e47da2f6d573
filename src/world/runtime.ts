import type { ActorActivity, TraceBody, TraceEntry, TraceListener } from '../sim/trace';

/**
 * Time and actors, as strategies and consumer services see them. The simulator implements it
 * with a virtual clock and one scheduler (src/sim/kernel); the real world with timers and
 * concurrent async loops. Either way an actor's work is a `Process`: an async generator that
 * hands control back between steps, so crash points and waits mean the same thing in both.
 */

/**
 * What an actor's process hands back between two steps. A step is the code between two
 * yields: one SQL transaction, one broker operation, one HTTP-like call. The runtime decides
 * what happens in the gap: a crash, a delay, another actor's step.
 */
export type Yield =
  /** A named crash point; execution continues after the cost of the step just taken. */
  | { readonly kind: 'point'; readonly point: string }
  /**
   * Wait. `idle` tells the runtime this process has nothing left to do (a poller that found
   * no rows); `wakeable` lets `wake()` cut the wait short (LISTEN/NOTIFY, a broker push).
   * Only a step that has just looked may say idle: the runtime re-asks idle processes after
   * any change, but cannot know what a process read in an earlier step.
   */
  | {
      readonly kind: 'sleep';
      readonly ms: number;
      readonly activity: ActorActivity;
      readonly idle: boolean;
      readonly wakeable: boolean;
      /**
       * Idle until woken: nothing but `wake()` can give this process work (a broker consumer,
       * pushed to on publish), so changes elsewhere do not make its idleness stale.
       */
      readonly idleUntilWoken: boolean;
    };

export type Process = AsyncGenerator<Yield, void, void>;

export const point = (name: string): Yield => ({ kind: 'point', point: name });
export const sleep = (
  ms: number,
  activity: ActorActivity = 'waiting',
  flags: { idle?: boolean; wakeable?: boolean; idleUntilWoken?: boolean } = {},
): Yield => ({
  kind: 'sleep',
  ms,
  activity,
  idle: flags.idle ?? flags.idleUntilWoken ?? false,
  wakeable: flags.wakeable ?? flags.idleUntilWoken ?? false,
  idleUntilWoken: flags.idleUntilWoken ?? false,
});

export interface ActorSpec {
  readonly id: string;
  readonly restartDelayMs: number;
  /** Spawns the actor's long-running processes; called at start and after every restart. */
  onStart?(): void;
  /** Memory is gone: lets the world react (the broker requeues unacked deliveries). */
  onCrash?(): void;
}

/** A scheduled callback that may be called off. */
export interface Timer {
  cancel(): void;
}

/** Where everything that happens is written: the run's trace. */
export interface TraceLog {
  append(body: TraceBody): TraceEntry;
  subscribe(listener: TraceListener): () => void;
}

export interface Runtime {
  /** Milliseconds since the run started: virtual in the simulator, wall-clock in the real world. */
  readonly now: number;
  readonly trace: TraceLog;
  isUp(actor: string): boolean;
  /** Runs a process for an actor from now on; false if the actor is down. */
  spawn(actor: string, process: Process): boolean;
  /** Cuts short the wakeable waits of an actor's processes (a NOTIFY, a message pushed). */
  wake(actor: string): void;
  /**
   * A callback outside any actor. `keepsAlive` marks work the run must wait for (a command not
   * yet issued, a fault window not yet closed).
   */
  at(atMs: number, run: () => void | Promise<void>, keepsAlive?: boolean): Timer;
  /** Time the running step costs (a slow call). Virtual: the real world takes its own time. */
  spend(ms: number): void;
  /**
   * A crash point in the middle of a step. Throws when the fault plan says the running actor
   * dies here; callers let it propagate so open transactions roll back.
   */
  pointWithinStep(name: string): void;
}
