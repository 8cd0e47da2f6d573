import { assign, fromCallback, setup } from 'xstate';

/** The speeds offered, as multiples of BASE_ENTRIES_PER_SECOND. */
export const SPEEDS = [0.25, 0.5, 1, 2, 4, 8, 16] as const;
export type Speed = (typeof SPEEDS)[number];

/** At 1× a learner can read each step's sentence; at 16× a 500-entry run takes about 3 s. */
export const BASE_ENTRIES_PER_SECOND = 10;
const TICK_MS = 33;

export interface PlaybackContext {
  /** Trace entries applied: 0 … length. */
  readonly cursor: number;
  readonly length: number;
  readonly speed: Speed;
}

export type PlaybackEvent =
  | { type: 'READY' }
  /** A (new) trace to play; `cursor` keeps the place when a re-run shares the prefix. */
  | { type: 'LOAD'; length: number; cursor?: number }
  | { type: 'PLAY' }
  | { type: 'PAUSE' }
  | { type: 'TOGGLE' }
  | { type: 'STEP_FORWARD' }
  | { type: 'STEP_BACK' }
  | { type: 'SEEK'; cursor: number }
  | { type: 'SPEED'; speed: Speed }
  | { type: 'RESTART' }
  | { type: 'TICK'; steps: number };

const clamp = (cursor: number, length: number): number => Math.max(0, Math.min(length, Math.round(cursor)));

/**
 * Advances by whole entries at the speed's rate, measured with the frame clock: a late timer
 * makes a bigger step instead of slowing the run down.
 */
const ticker = fromCallback<PlaybackEvent, { speed: Speed }>(({ sendBack, input }) => {
  const perMs = (BASE_ENTRIES_PER_SECOND * input.speed) / 1000;
  let last = performance.now();
  let owed = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    owed += (now - last) * perMs;
    last = now;
    const steps = Math.floor(owed);
    if (steps > 0) {
      owed -= steps;
      sendBack({ type: 'TICK', steps });
    }
  }, TICK_MS);
  return () => clearInterval(timer);
});

/**
 * The playback controller. It knows nothing of traces, only how many entries there are and
 * where the cursor stands; everything shown is derived from (trace, cursor) elsewhere.
 */
export const playbackMachine = setup({
  types: { context: {} as PlaybackContext, events: {} as PlaybackEvent },
  actors: { ticker },
  actions: {
    load: assign(({ event }) => (event.type === 'LOAD' ? { length: event.length, cursor: clamp(event.cursor ?? 0, event.length) } : {})),
    stepForward: assign(({ context }) => ({ cursor: clamp(context.cursor + 1, context.length) })),
    stepBack: assign(({ context }) => ({ cursor: clamp(context.cursor - 1, context.length) })),
    seek: assign(({ context, event }) => (event.type === 'SEEK' ? { cursor: clamp(event.cursor, context.length) } : {})),
    advance: assign(({ context, event }) => (event.type === 'TICK' ? { cursor: clamp(context.cursor + event.steps, context.length) } : {})),
    setSpeed: assign(({ event }) => (event.type === 'SPEED' ? { speed: event.speed } : {})),
    rewind: assign({ cursor: 0 }),
  },
  guards: {
    atEnd: ({ context }) => context.cursor >= context.length,
    loadedAtEnd: ({ event }) => event.type === 'LOAD' && clamp(event.cursor ?? 0, event.length) >= event.length,
  },
}).createMachine({
  id: 'playback',
  initial: 'booting',
  context: { cursor: 0, length: 0, speed: 1 },
  on: {
    SPEED: { actions: 'setSpeed' },
  },
  states: {
    booting: {
      on: { READY: 'ready', LOAD: { target: 'paused', actions: 'load' } },
    },
    /** The database is up; no trace yet. */
    ready: {
      on: { LOAD: { target: 'paused', actions: 'load' } },
    },
    paused: {
      always: { guard: 'atEnd', target: 'ended' },
      on: {
        LOAD: { target: 'paused', reenter: true, actions: 'load' },
        PLAY: 'playing',
        TOGGLE: 'playing',
        STEP_FORWARD: { actions: 'stepForward' },
        STEP_BACK: { actions: 'stepBack' },
        SEEK: { actions: 'seek' },
        RESTART: { actions: 'rewind' },
      },
    },
    playing: {
      always: { guard: 'atEnd', target: 'ended' },
      invoke: { src: 'ticker', input: ({ context }) => ({ speed: context.speed }) },
      on: {
        TICK: { actions: 'advance' },
        LOAD: { target: 'playing', reenter: true, actions: 'load' },
        PAUSE: 'paused',
        TOGGLE: 'paused',
        STEP_FORWARD: { target: 'paused', actions: 'stepForward' },
        STEP_BACK: { target: 'paused', actions: 'stepBack' },
        SEEK: { actions: 'seek' },
        // Re-entering restarts the ticker at the new rate.
        SPEED: { target: 'playing', reenter: true, actions: 'setSpeed' },
        RESTART: { target: 'playing', reenter: true, actions: 'rewind' },
      },
    },
    ended: {
      on: {
        LOAD: [
          { guard: 'loadedAtEnd', target: 'ended', actions: 'load' },
          { target: 'paused', actions: 'load' },
        ],
        PLAY: { target: 'playing', actions: 'rewind' },
        TOGGLE: { target: 'playing', actions: 'rewind' },
        STEP_BACK: { target: 'paused', actions: 'stepBack' },
        SEEK: { target: 'paused', actions: 'seek' },
        RESTART: { target: 'paused', actions: 'rewind' },
      },
    },
  },
});

export type PlaybackState = 'booting' | 'ready' | 'paused' | 'playing' | 'ended';
