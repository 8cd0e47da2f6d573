import { z } from 'zod';
import { scenarioSchema } from './schema';

/**
 * The scenario format as JSON Schema, so editors validate and autocomplete scenario files
 * (`# yaml-language-server: $schema=../public/scenario.schema.json`). Generated from the same
 * zod schema the loader uses; a test keeps the published copy in step.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'scenario.schema.json',
    title: 'outbox lab scenario',
    description:
      'A reproducible run: strategy, seed, workload, faults and what the checker must find. ' +
      'Strategy options and crash point names are checked against the chosen strategy when the file is loaded.',
  };
}

export const SCENARIO_JSON_SCHEMA_PATH = 'public/scenario.schema.json';
