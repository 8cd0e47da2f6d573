import { describe, expect, it, vi } from 'vitest';
import { createActor, fromCallback } from 'xstate';
import { playbackMachine, type PlaybackEvent, type Speed } from '../../src/ui/playback';

/** The machine with a ticker the test drives by hand. */
function player() {
  const ticks: Array<(event: PlaybackEvent) => void> = [];
  const machine = playbackMachine.provide({
    actors: {
      ticker: fromCallback<PlaybackEvent, { speed: Speed }>(({ sendBack }) => {
        ticks.push(sendBack);
        return () => undefined;
      }),
    },
  });
  const actor = createActor(machine).start();
  const tick = (steps: number) => ticks[ticks.length - 1]!({ type: 'TICK', steps });
  const at = () => `${String(actor.getSnapshot().value)} ${actor.getSnapshot().context.cursor}/${actor.getSnapshot().context.length}`;
  return { actor, tick, at, tickers: () => ticks.length };
}

describe('playback controller', () => {
  it('boots, loads a trace, plays to the end and stops there', () => {
    const { actor, tick, at } = player();
    expect(at()).toBe('booting 0/0');
    actor.send({ type: 'READY' });
    actor.send({ type: 'LOAD', length: 5 });
    expect(at()).toBe('paused 0/5');
    actor.send({ type: 'PLAY' });
    tick(2);
    expect(at()).toBe('playing 2/5');
    tick(10);
    expect(at()).toBe('ended 5/5');
  });

  it('steps back and forward, pausing a playing run', () => {
    const { actor, tick, at } = player();
    actor.send({ type: 'LOAD', length: 10 });
    actor.send({ type: 'PLAY' });
    tick(4);
    actor.send({ type: 'STEP_BACK' });
    expect(at()).toBe('paused 3/10');
    actor.send({ type: 'STEP_FORWARD' });
    actor.send({ type: 'STEP_FORWARD' });
    expect(at()).toBe('paused 5/10');
    actor.send({ type: 'STEP_BACK' });
    actor.send({ type: 'SEEK', cursor: -3 });
    expect(at()).toBe('paused 0/10');
    actor.send({ type: 'STEP_BACK' });
    expect(at()).toBe('paused 0/10');
  });

  it('seeking to the end ends; stepping back from the end pauses; play at the end starts over', () => {
    const { actor, at } = player();
    actor.send({ type: 'LOAD', length: 4 });
    actor.send({ type: 'SEEK', cursor: 99 });
    expect(at()).toBe('ended 4/4');
    actor.send({ type: 'STEP_BACK' });
    expect(at()).toBe('paused 3/4');
    actor.send({ type: 'SEEK', cursor: 4 });
    actor.send({ type: 'PLAY' });
    expect(at()).toBe('playing 0/4');
  });

  it('a re-run keeps the cursor and keeps playing', () => {
    const { actor, tick, at } = player();
    actor.send({ type: 'LOAD', length: 10 });
    actor.send({ type: 'PLAY' });
    tick(6);
    actor.send({ type: 'LOAD', length: 20, cursor: 6 });
    expect(at()).toBe('playing 6/20');
    tick(1);
    expect(at()).toBe('playing 7/20');
  });

  it('a new speed restarts the ticker at that rate', () => {
    const { actor, tickers } = player();
    actor.send({ type: 'LOAD', length: 10 });
    actor.send({ type: 'PLAY' });
    const before = tickers();
    actor.send({ type: 'SPEED', speed: 16 });
    expect(tickers()).toBe(before + 1);
    expect(actor.getSnapshot().context.speed).toBe(16);
  });

  it('the real ticker advances about speed × 10 entries a second', () => {
    vi.useFakeTimers();
    try {
      const actor = createActor(playbackMachine).start();
      actor.send({ type: 'LOAD', length: 1000 });
      actor.send({ type: 'SPEED', speed: 4 });
      actor.send({ type: 'PLAY' });
      vi.advanceTimersByTime(1000);
      const cursor = actor.getSnapshot().context.cursor;
      expect(cursor).toBeGreaterThanOrEqual(38);
      expect(cursor).toBeLessThanOrEqual(41);
      actor.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
