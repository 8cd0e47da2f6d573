import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { actorsOf, crashPointsOf, findStrategy, registeredStrategyIds } from '../strategies';
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

function issuesToProblems(
  issues: readonly z.core.$ZodIssue[],
  schema: z.ZodType,
  data: unknown,
  prefix: readonly PropertyKey[] = [],
): ScenarioProblem[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeys(schema, issue.path, data);
      const hint = allowed.length > 0 ? `; allowed: ${allowed.join(', ')}` : '';
      return issue.keys.map((key) => ({ field: fieldOf([...path, key]), message: `unknown field${hint}` }));
    }
    if (issue.code === 'invalid_value' && 'values' in issue) {
      return [{ field: fieldOf(path), message: `must be one of: ${issue.values.map(String).join(', ')}` }];
    }
    if (issue.code === 'invalid_type' && valueAt(data, issue.path) === undefined) {
      return [{ field: fieldOf(path), message: `is required (${issue.expected})` }];
    }
    return [{ field: fieldOf(path), message: issue.message }];
  });
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined), data);
}

/** The field names an object in the schema accepts at `path` (following defaults, arrays and the fault union). */
function allowedKeys(schema: z.ZodType, path: readonly PropertyKey[], data: unknown): string[] {
  let node: z.core.$ZodType | undefined = schema;
  const walked: PropertyKey[] = [];
  const unwrap = (n: z.core.$ZodType): z.core.$ZodType => {
    const def = n._zod.def as { type: string; innerType?: z.core.$ZodType };
    return (def.type === 'default' || def.type === 'optional' || def.type === 'prefault') && def.innerType ? unwrap(def.innerType) : n;
  };
  const pickUnionMember = (n: z.core.$ZodType): z.core.$ZodType => {
    const def = n._zod.def as { type: string; options?: z.core.$ZodType[] };
    if (def.type !== 'union' || !def.options) return n;
    const tag = (valueAt(data, walked) as { type?: unknown } | undefined)?.type;
    return def.options.find((o) => (o._zod.def as { shape?: Record<string, z.core.$ZodType> }).shape?.type?._zod.values?.has(tag as never)) ?? n;
  };
  for (const key of [...path, undefined]) {
    if (!node) return [];
    node = pickUnionMember(unwrap(node));
    const def = node._zod.def as { type: string; shape?: Record<string, z.core.$ZodType>; element?: z.core.$ZodType };
    if (key === undefined) return def.shape ? Object.keys(def.shape) : [];
    node = typeof key === 'number' ? def.element : def.shape?.[String(key)];
    walked.push(key);
  }
  return [];
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
  if (!parsed.success) return { ok: false, problems: issuesToProblems(parsed.error.issues, scenarioSchema, data) };
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
  if (!options.success) problems.push(...issuesToProblems(options.error.issues, strategy.options, scenario.options, ['options']));

  const points = crashPointsOf(strategy);
  const strategyOptions = options.success ? options.data : strategy.options.parse({});
  const actors = actorsOf(strategy, strategyOptions, scenario.consumers.services);
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
  scenario.compareWith.forEach((id, index) => {
    if (!findStrategy(id)) problems.push({ field: `compareWith[${index}]`, message: `'${id}' is not available; available: ${registeredStrategyIds().join(', ')}` });
    else if (id === scenario.strategy) problems.push({ field: `compareWith[${index}]`, message: `is the scenario's own strategy` });
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
