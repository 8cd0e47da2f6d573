import { describe, expect, it } from 'vitest';
import { keyAction } from '../../../src/ui/app/overlay/shortcuts';

const idle = { helpOpen: false, speed: 1 as const };

describe('keyboard shortcuts', () => {
  it('space plays or pauses, arrows and a remote’s page keys step, ? opens the help', () => {
    expect(keyAction(' ', 'other', idle)).toEqual({ kind: 'playback', event: { type: 'TOGGLE' } });
    expect(keyAction('ArrowRight', 'other', idle)).toEqual({ kind: 'playback', event: { type: 'STEP_FORWARD' } });
    expect(keyAction('ArrowLeft', 'button', idle)).toEqual({ kind: 'playback', event: { type: 'STEP_BACK' } });
    expect(keyAction('PageDown', 'other', idle)).toEqual({ kind: 'playback', event: { type: 'STEP_FORWARD' } });
    expect(keyAction('?', 'other', idle)).toEqual({ kind: 'help', open: true });
  });

  it('stay out of the way while typing, choosing or sliding', () => {
    for (const key of [' ', 'ArrowLeft', 'ArrowRight', '?', 'Home', '+']) expect(keyAction(key, 'text', idle)).toBeUndefined();
    expect(keyAction('ArrowLeft', 'select', idle)).toBeUndefined();
    expect(keyAction('ArrowLeft', 'range', idle)).toBeUndefined();
    // A focused button answers space itself (one toggle, not two).
    expect(keyAction(' ', 'button', idle)).toBeUndefined();
  });

  it('with the help open only Escape (or ?) does anything: it closes the help', () => {
    const open = { ...idle, helpOpen: true };
    expect(keyAction('Escape', 'other', open)).toEqual({ kind: 'help', open: false });
    expect(keyAction(' ', 'other', open)).toBeUndefined();
  });

  it('+ and − change speed within 0.25×–16×', () => {
    expect(keyAction('+', 'other', idle)).toEqual({ kind: 'speed', speed: 2 });
    expect(keyAction('-', 'other', { ...idle, speed: 0.25 })).toEqual({ kind: 'speed', speed: 0.25 });
    expect(keyAction('+', 'other', { ...idle, speed: 16 })).toEqual({ kind: 'speed', speed: 16 });
  });
});
