import { createActor, setup } from 'xstate';

/** The timer interface XState asks for; the kernel implements it on virtual time. */
export interface SimClock {
  setTimeout(fn: () => void, timeoutMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * Every actor of the simulated world lives this lifecycle: it runs until a crash, stays down
 * for its restart delay (measured on the virtual clock), then starts again with empty memory.
 * XState keeps the crash → restart transition explicit and drives the delay through `clock`,
 * so restarts land on virtual time like every other event.
 */
export const actorLifecycle = setup({
  types: {
    context: {} as { restartDelayMs: number },
    input: {} as { restartDelayMs: number },
    events: {} as { type: 'CRASH' },
  },
  delays: {
    restartDelay: ({ context }) => context.restartDelayMs,
  },
  actions: {
    // Provided by the kernel: the lifecycle says when, the kernel says what.
    restarted: () => {},
  },
}).createMachine({
  id: 'actorLifecycle',
  context: ({ input }) => ({ restartDelayMs: input.restartDelayMs }),
  initial: 'running',
  states: {
    running: { on: { CRASH: 'crashed' } },
    crashed: {
      after: { restartDelay: { target: 'running', actions: 'restarted' } },
    },
  },
});

export type LifecycleState = 'running' | 'crashed';

export function startLifecycle(options: {
  restartDelayMs: number;
  clock: SimClock;
  onRestarted: () => void;
}) {
  const machine = actorLifecycle.provide({ actions: { restarted: () => options.onRestarted() } });
  const actor = createActor(machine, { input: { restartDelayMs: options.restartDelayMs }, clock: options.clock });
  actor.start();
  return {
    crash: () => actor.send({ type: 'CRASH' }),
    get state(): LifecycleState {
      return actor.getSnapshot().value as LifecycleState;
    },
  };
}
