import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenarioText, validateScenario } from '../../src/scenario/load';
import { stringify } from 'yaml';

/**
 * Bad input gets a clear error naming the field; nothing crashes. Thousands of mangled
 * scenario files and documents: each one either loads or returns problems with a field.
 */
const dir = join(import.meta.dirname, '../../scenarios');
const curated = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => parseScenarioText(readFileSync(join(dir, f), 'utf8')))
  .flatMap((r) => (r.ok ? [r.scenario] : []));

const anyValue = fc.anything({ withBigInt: false, withNullPrototype: true, maxDepth: 3 });

function expectLoadsOrExplains(result: ReturnType<typeof validateScenario>) {
  if (result.ok) return;
  expect(result.problems.length).toBeGreaterThan(0);
  for (const p of result.problems) {
    expect(typeof p.field).toBe('string');
    expect(p.field.length).toBeGreaterThan(0);
    expect(p.message.length).toBeGreaterThan(3);
  }
}

describe('fuzzing scenario input', () => {
  it('arbitrary values: a scenario or a list of field problems, never an exception', () => {
    fc.assert(fc.property(anyValue, (value) => expectLoadsOrExplains(validateScenario(value))), { numRuns: 2_000, seed: 1 });
  });

  it('curated scenarios with one field replaced by anything', () => {
    fc.assert(
      fc.property(fc.constantFrom(...curated), fc.constantFrom('strategy', 'seed', 'workload', 'faults', 'consumers', 'options', 'expect', 'limits', 'broker', 'domain', 'predict', 'compareWith', 'name'), anyValue, (scenario, field, value) => {
        expectLoadsOrExplains(validateScenario({ ...scenario, [field]: value }));
      }),
      { numRuns: 2_000, seed: 2 },
    );
  });

  it('curated scenarios with a fault mangled', () => {
    const fault = fc.record({
      type: fc.constantFrom('crash', 'kill', 'broker-down', 'consumer-error', 'lose-publish-confirm', 'nope'),
      point: fc.oneof(fc.string(), fc.constantFrom('after-commit', 'after-publish')),
      actor: fc.string(),
      at: fc.oneof(fc.integer(), fc.double(), fc.string()),
      from: fc.integer({ min: -10, max: 5_000 }),
      to: fc.integer({ min: -10, max: 5_000 }),
      nth: fc.integer({ min: -1, max: 5 }),
      probability: fc.double({ min: -1, max: 2 }),
      consumer: fc.string(),
    }, { requiredKeys: ['type'] });
    fc.assert(
      fc.property(fc.constantFrom(...curated), fc.array(fault, { maxLength: 4 }), (scenario, faults) => {
        expectLoadsOrExplains(validateScenario({ ...scenario, faults }));
      }),
      { numRuns: 2_000, seed: 3 },
    );
  });

  it('scenario files as text, cut or corrupted anywhere', () => {
    const texts = curated.map((s) => stringify(s));
    fc.assert(
      fc.property(fc.constantFrom(...texts), fc.nat(), fc.string({ maxLength: 5 }), (text, at, junk) => {
        const cut = at % (text.length + 1);
        expectLoadsOrExplains(parseScenarioText(text.slice(0, cut) + junk + text.slice(cut + junk.length)));
      }),
      { numRuns: 2_000, seed: 4 },
    );
  });
});
