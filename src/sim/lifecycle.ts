import { assign, createActor, setup } from 'xstate';

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
    context: {} as { restartDelayMs: number; downMs: number },
    input: {} as { restartDelayMs: number },
    /** `downMs` overrides the restart delay for this crash (an operator keeping a node down). */
    events: {} as { type: 'CRASH'; downMs?: number },
  },
  delays: {
    restartDelay: ({ context }) => context.downMs,
  },
  actions: {
    // Provided by the kernel: the lifecycle says when, the kernel says what.
    restarted: () => {},
  },
}).createMachine({
  id: 'actorLifecycle',
  context: ({ input }) => ({ restartDelayMs: input.restartDelayMs, downMs: input.restartDelayMs }),
  initial: 'running',
  states: {
    running: {
      on: {
        CRASH: {
          target: 'crashed',
          actions: assign({ downMs: ({ context, event }) => event.downMs ?? context.restartDelayMs }),
        },
      },
    },
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
    crash: (downMs?: number) => actor.send(downMs === undefined ? { type: 'CRASH' } : { type: 'CRASH', downMs }),
    get state(): LifecycleState {
      return actor.getSnapshot().value as LifecycleState;
    },
  };
}
