import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { CONSUMER_IDS, consumerActor } from '../infra/consumers';
import { crashPointsOf } from '../engine/run';
import { findStrategy, registeredStrategyIds } from '../strategies';
import { API_ACTOR } from '../strategies/strategy';
import { scenarioSchema, type Scenario } from './schema';

/** A problem with a scenario, naming the field (`faults[0].point`) and what would be allowed. */
export interface ScenarioProblem {
  readonly field: string;
  readonly message: string;
}

export type LoadResult = { ok: true; scenario: Scenario } | { ok: false; problems: ScenarioProblem[] };

export class ScenarioError extends Error {
  constructor(readonly problems: readonly ScenarioProblem[], source = 'scenario') {
    super(`${source} is invalid:\n${problems.map((p) => `  ${p.field}: ${p.message}`).join('\n')}`);
    this.name = 'ScenarioError';
  }
}

const fieldOf = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '') ||
  '(top level)';

function issuesToProblems(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): ScenarioProblem[] {
  return issues.map((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      return { field: fieldOf([...path, issue.keys[0] ?? '']), message: `unknown field (not one of this section's fields)` };
    }
    if (issue.code === 'invalid_value' && 'values' in issue) {
      return { field: fieldOf(path), message: `must be one of: ${issue.values.map(String).join(', ')}` };
    }
    return { field: fieldOf(path), message: issue.message };
  });
}

/** Parses YAML (JSON is YAML too). Syntax errors name the line. */
export function parseScenarioText(text: string): LoadResult {
  let data: unknown;
  try {
    data = parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` at line ${error.linePos[0].line}` : '';
    return { ok: false, problems: [{ field: '(file)', message: `not valid YAML or JSON${where}: ${firstLine(error)}` }] };
  }
  return validateScenario(data);
}

/** Validates plain data against the format and against the chosen strategy. */
export function validateScenario(data: unknown): LoadResult {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, problems: [{ field: '(top level)', message: 'a scenario is a mapping of fields (name, title, strategy, seed, ...)' }] };
  }
  const parsed = scenarioSchema.safeParse(data);
  if (!parsed.success) return { ok: false, problems: issuesToProblems(parsed.error.issues) };
  const scenario = parsed.data;
  const problems: ScenarioProblem[] = [];

  const strategy = findStrategy(scenario.strategy);
  if (!strategy) {
    return {
      ok: false,
      problems: [{ field: 'strategy', message: `'${scenario.strategy}' is not available yet; available: ${registeredStrategyIds().join(', ')}` }],
    };
  }
  const options = strategy.options.safeParse(scenario.options);
  if (!options.success) problems.push(...issuesToProblems(options.error.issues, ['options']));

  const points = crashPointsOf(strategy);
  const actors = [...new Set([API_ACTOR, ...points.map((p) => p.actor), ...CONSUMER_IDS.map(consumerActor)])];
  scenario.faults.forEach((fault, index) => {
    const field = `faults[${index}]`;
    if (fault.type === 'crash' && !points.some((p) => p.id === fault.point)) {
      problems.push({ field: `${field}.point`, message: `'${fault.point}' is not a crash point of ${strategy.id}; allowed: ${points.map((p) => p.id).join(', ')}` });
    }
    if (fault.type === 'kill' && !actors.includes(fault.actor)) {
      problems.push({ field: `${field}.actor`, message: `no actor '${fault.actor}' in ${strategy.id}; allowed: ${actors.join(', ')}` });
    }
    if ('nth' in fault && fault.nth !== undefined && 'probability' in fault && fault.probability !== undefined) {
      problems.push({ field: `${field}.probability`, message: 'give either nth or probability, not both' });
    }
    const from = 'from' in fault ? fault.from : undefined;
    const to = 'to' in fault ? fault.to : undefined;
    if (from !== undefined && to !== undefined && to <= from) {
      problems.push({ field: `${field}.to`, message: `must be later than from (${from})` });
    }
  });
  if (scenario.workload.script) {
    scenario.workload.script.forEach((step, index) => {
      const previous = scenario.workload.script?.[index - 1];
      if (previous && step.at < previous.at) problems.push({ field: `workload.script[${index}].at`, message: `must not be earlier than the step before (${previous.at})` });
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, scenario: { ...scenario, options: options.success ? (options.data as Record<string, unknown>) : {} } };
}

export function loadScenarioOrThrow(text: string, source = 'scenario'): Scenario {
  const result = parseScenarioText(text);
  if (!result.ok) throw new ScenarioError(result.problems, source);
  return result.scenario;
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0] ?? '';
}
