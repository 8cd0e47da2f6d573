import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIO_JSON_SCHEMA_PATH, scenarioJsonSchema } from '../../src/scenario/json-schema';

describe('published JSON Schema', () => {
  it('matches the schema the loader uses (regenerate with `npm run schema`)', () => {
    const published = JSON.parse(readFileSync(join(import.meta.dirname, '../..', SCENARIO_JSON_SCHEMA_PATH), 'utf8'));
    expect(published).toEqual(JSON.parse(JSON.stringify(scenarioJsonSchema())));
  });

  it('describes the fields editors should complete', () => {
    const schema = scenarioJsonSchema() as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['strategy', 'seed', 'workload', 'faults', 'expect', 'predict']));
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'title', 'strategy', 'seed']));
    expect(JSON.stringify(schema.properties.faults)).toContain('broker-down');
  });
});
