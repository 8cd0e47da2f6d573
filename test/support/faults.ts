import fc from 'fast-check';
import type { Fault } from '../../src/scenario/schema';

/** How many cases each property runs; CI default 200, more with PROPERTY_RUNS=2000. */
export const PROPERTY_RUNS = Number(process.env.PROPERTY_RUNS ?? 200);

/** fast-check's own seed is fixed so a failure reproduces; it prints the counterexample. */
export const propertyOptions = { numRuns: PROPERTY_RUNS, seed: 20261129 } as const;

const window = (maxFrom: number, maxLength: number) =>
  fc.record({ from: fc.integer({ min: 0, max: maxFrom }), length: fc.integer({ min: 1, max: maxLength }) });

/** A broker outage that ends: the broker always comes back. */
export const brokerOutage = window(1_500, 2_000).chain(({ from, length }) =>
  fc.constantFrom<'refuse' | 'timeout'>('refuse', 'timeout').map((mode): Fault => ({ type: 'broker-down', from, to: from + length, mode })),
);

export const crashAt = (points: readonly string[]) =>
  fc.record({
    point: fc.constantFrom(...points),
    probability: fc.double({ min: 0.05, max: 0.5, noNaN: true }),
  }).map(({ point, probability }): Fault => ({ type: 'crash', point, probability }));

/** Consumer errors in a window short enough that redelivery outlasts it (no dead letters). */
export const consumerErrors = fc
  .record({ consumer: fc.constantFrom('email', 'entitlement', 'analytics' as const), w: window(1_500, 400), probability: fc.double({ min: 0.1, max: 0.6, noNaN: true }) })
  .map(({ consumer, w, probability }): Fault => ({ type: 'consumer-error', consumer, probability, from: w.from, to: w.from + w.length }));

export const lostConfirms = fc
  .double({ min: 0.05, max: 0.4, noNaN: true })
  .map((probability): Fault => ({ type: 'lose-publish-confirm', probability }));

export const consumerCrashes = crashAt(['email-after-effect', 'entitlement-after-effect', 'analytics-after-effect']);
