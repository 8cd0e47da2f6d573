import type { Verdict } from '../checker/checker';
import type { ExpectableField } from '../checker/counters';
import type { Scenario } from './schema';

/**
 * A scenario's `expect` block, judged against the checker's counters (and latency figures)
 * once the run has ended.
 * A value is a number (the counter must equal it) or a comparison string: ">0", ">=2", "<3",
 * "<=1", "=4", or a bare "0".
 */
export type Expectations = Scenario['expect'];
export type Expectation = NonNullable<Expectations[ExpectableField]>;

export type Comparator = '>' | '>=' | '<' | '<=' | '=';

export interface ExpectationFailure {
  readonly field: ExpectableField;
  /** The expectation as written normalised to a comparison, e.g. ">0" or "=0". */
  readonly expected: string;
  readonly actual: number;
  /** "lost: expected >0, got 0" */
  readonly message: string;
}

const COMPARISON = /^\s*(>=|<=|>|<|=)?\s*(\d+)\s*$/;

export function parseExpectation(value: Expectation): { comparator: Comparator; bound: number } {
  if (typeof value === 'number') return { comparator: '=', bound: value };
  const match = COMPARISON.exec(value);
  if (!match) throw new Error(`not an expectation: '${value}' (use a number or a comparison like ">0", ">=2", "<3")`);
  return { comparator: (match[1] as Comparator | undefined) ?? '=', bound: Number(match[2]) };
}

export function satisfies(actual: number, value: Expectation): boolean {
  const { comparator, bound } = parseExpectation(value);
  switch (comparator) {
    case '>':
      return actual > bound;
    case '>=':
      return actual >= bound;
    case '<':
      return actual < bound;
    case '<=':
      return actual <= bound;
    case '=':
      return actual === bound;
  }
}

export function formatExpectation(value: Expectation): string {
  const { comparator, bound } = parseExpectation(value);
  return `${comparator}${bound}`;
}

/** Every figure an `expect` block may name, flat: the counters and `latency.[consumer.]p50|p99|max`. */
export function measuresOf(verdict: Pick<Verdict, 'counters' | 'latency' | 'latencyByConsumer'>): Record<string, number> {
  const measures: Record<string, number> = { ...verdict.counters };
  const add = (prefix: string, l: { p50: number; p99: number; max: number }) => {
    measures[`${prefix}.p50`] = l.p50;
    measures[`${prefix}.p99`] = l.p99;
    measures[`${prefix}.max`] = l.max;
  };
  add('latency', verdict.latency);
  for (const [consumer, latency] of Object.entries(verdict.latencyByConsumer)) add(`latency.${consumer}`, latency);
  return measures;
}

/**
 * Every expectation that does not hold, in the order the block lists them; empty when all hold.
 * `measures` is the counters, or `measuresOf(verdict)` to judge latency fields too (a consumer
 * that performed nothing has latency 0).
 */
export function evaluateExpectations(expectations: Expectations, measures: Readonly<Record<string, number>>): ExpectationFailure[] {
  const failures: ExpectationFailure[] = [];
  for (const [field, value] of Object.entries(expectations) as Array<[ExpectableField, Expectation | undefined]>) {
    if (value === undefined) continue;
    const actual = measures[field] ?? 0;
    if (satisfies(actual, value)) continue;
    const expected = formatExpectation(value);
    failures.push({ field, expected, actual, message: `${field}: expected ${expected}, got ${actual}` });
  }
  return failures;
}
