import { writeFileSync } from 'node:fs';
import { SCENARIO_JSON_SCHEMA_PATH, scenarioJsonSchema } from '../src/scenario/json-schema';

writeFileSync(SCENARIO_JSON_SCHEMA_PATH, `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
console.log(`wrote ${SCENARIO_JSON_SCHEMA_PATH}`);
