import { describe, expect, it } from 'vitest';
import { COUNTER_NAMES, type Counters } from '../../src/checker/counters';
import { evaluateExpectations, formatExpectation, parseExpectation, satisfies } from '../../src/scenario/expect';

const counters = (values: Partial<Counters>): Counters =>
  ({ ...Object.fromEntries(COUNTER_NAMES.map((name) => [name, 0])), ...values }) as Counters;

describe('expectations', () => {
  it('reads numbers as equality and strings as comparisons', () => {
    expect(parseExpectation(3)).toEqual({ comparator: '=', bound: 3 });
    expect(parseExpectation('0')).toEqual({ comparator: '=', bound: 0 });
    expect(parseExpectation('>0')).toEqual({ comparator: '>', bound: 0 });
    expect(parseExpectation(' >= 2 ')).toEqual({ comparator: '>=', bound: 2 });
    expect(parseExpectation('<3')).toEqual({ comparator: '<', bound: 3 });
    expect(parseExpectation('<=1')).toEqual({ comparator: '<=', bound: 1 });
    expect(parseExpectation('=4')).toEqual({ comparator: '=', bound: 4 });
    expect(() => parseExpectation('about 3')).toThrow(/not an expectation/);
  });

  it.each([
    [0, '>0', false], [1, '>0', true],
    [1, '>=2', false], [2, '>=2', true],
    [3, '<3', false], [2, '<3', true],
    [2, '<=1', false], [1, '<=1', true],
    [5, '=4', false], [4, '=4', true],
    [1, '0', false], [0, '0', true],
    [1, 0, false], [0, 0, true], [7, 7, true],
  ] as const)('%d against %s holds: %s', (actual, expectation, holds) => {
    expect(satisfies(actual, expectation)).toBe(holds);
  });

  it('formats every expectation as comparator and bound', () => {
    expect(formatExpectation(0)).toBe('=0');
    expect(formatExpectation('>=2')).toBe('>=2');
    expect(formatExpectation(' < 3')).toBe('<3');
  });

  it('lists each failing field with expected, actual and a message, in the order written', () => {
    const failures = evaluateExpectations({ duplicateEffects: 0, lost: '>0', phantom: '<=1' }, counters({ duplicateEffects: 8, phantom: 1 }));
    expect(failures).toEqual([
      { field: 'duplicateEffects', expected: '=0', actual: 8, message: 'duplicateEffects: expected =0, got 8' },
      { field: 'lost', expected: '>0', actual: 0, message: 'lost: expected >0, got 0' },
    ]);
  });

  it('returns no failures when everything holds, or nothing is expected', () => {
    expect(evaluateExpectations({ lost: '>0', committed: 17 }, counters({ lost: 2, committed: 17 }))).toEqual([]);
    expect(evaluateExpectations({}, counters({ lost: 2 }))).toEqual([]);
  });
});

describe('latency expectations', () => {
  it('judge overall and per-consumer commit → effect latency', async () => {
    const { measuresOf } = await import('../../src/scenario/expect');
    const latency = (p50: number, p99: number, max: number) => ({ p50, p99, max, count: 1 });
    const measures = measuresOf({
      counters: { lost: 0 } as never,
      latency: latency(5, 900, 950),
      latencyByConsumer: { email: latency(3, 9, 12), entitlement: latency(800, 900, 950) },
    });
    expect(measures['latency.email.p99']).toBe(9);
    const failures = evaluateExpectations({ 'latency.email.p99': '<50', 'latency.entitlement.p50': '<100', 'latency.max': '>500' }, measures);
    expect(failures.map((f) => f.message)).toEqual(['latency.entitlement.p50: expected <100, got 800']);
  });
});
