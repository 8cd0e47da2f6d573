import { describe, expect, it } from 'vitest';
import { lockStep } from '../../../src/ui/app/compare/timeline';
import type { TraceEntry } from '../../../src/sim/trace';

const at = (...times: number[]): TraceEntry[] =>
  times.map((t, i) => ({ i, t, kind: 'restart', actor: 'api' }) as TraceEntry);

describe('two runs in lock-step', () => {
  it('walks both traces in virtual-time order, ties to the left', () => {
    const steps = lockStep(at(0, 5, 10), at(0, 3, 20));
    expect(steps.length).toBe(6);
    const walk = Array.from({ length: 7 }, (_, k) => steps.cursorsAt(k).join('/'));
    expect(walk).toEqual(['0/0', '1/0', '1/1', '1/2', '2/2', '3/2', '3/3']);
  });

  it('finds the merged cursor for a cursor of the left run', () => {
    const steps = lockStep(at(0, 5, 10), at(0, 3, 20));
    expect(steps.cursorForLeft(2)).toBe(4);
    expect(steps.cursorsAt(steps.cursorForLeft(3))[0]).toBe(3);
    expect(steps.cursorForRight(2)).toBe(3);
    expect(steps.cursorsAt(steps.cursorForRight(3))[1]).toBe(3);
  });
});
