import type { CounterName, Counters } from '../checker/counters';
import type { Scenario } from './schema';

/**
 * A scenario's `expect` block, judged against the checker's counters once the run has ended.
 * A value is a number (the counter must equal it) or a comparison string: ">0", ">=2", "<3",
 * "<=1", "=4", or a bare "0".
 */
export type Expectations = Scenario['expect'];
export type Expectation = NonNullable<Expectations[CounterName]>;

export type Comparator = '>' | '>=' | '<' | '<=' | '=';

export interface ExpectationFailure {
  readonly field: CounterName;
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

/** Every expectation that does not hold, in the order the block lists them; empty when all hold. */
export function evaluateExpectations(expectations: Expectations, counters: Counters): ExpectationFailure[] {
  const failures: ExpectationFailure[] = [];
  for (const [field, value] of Object.entries(expectations) as Array<[CounterName, Expectation | undefined]>) {
    if (value === undefined) continue;
    const actual = counters[field];
    if (satisfies(actual, value)) continue;
    const expected = formatExpectation(value);
    failures.push({ field, expected, actual, message: `${field}: expected ${expected}, got ${actual}` });
  }
  return failures;
}
