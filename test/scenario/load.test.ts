import { describe, expect, it } from 'vitest';
import { parseScenarioText, validateScenario, type LoadResult, type ScenarioProblem } from '../../src/scenario/load';
import { parseScenarioTextWithOverrides } from '../../src/scenario/overrides';
import { registeredStrategyIds } from '../../src/strategies';
import { STRATEGY_IDS } from '../../src/strategies/strategy';

const HEADER = 'name: t\ntitle: T\nseed: 1\n';

function problemsOf(result: LoadResult): ScenarioProblem[] {
  if (result.ok) throw new Error('expected the scenario to be rejected');
  return result.problems;
}

/** The problem reported for one field; fails if that field is not named. */
function problemAt(result: LoadResult, field: string): string {
  const problems = problemsOf(result);
  const problem = problems.find((p) => p.field === field);
  if (!problem) throw new Error(`no problem for '${field}'; got ${JSON.stringify(problems)}`);
  return problem.message;
}

describe('scenario loader error messages', () => {
  it('accepts a minimal scenario and fills in defaults', () => {
    const result = parseScenarioText(`${HEADER}strategy: outbox`);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.scenario.workload).toEqual({ commands: 20, interval: 100 });
  });

  it('names the strategy field and lists the known strategies for an unknown one', () => {
    const message = problemAt(parseScenarioText(`${HEADER}strategy: kafka-magic`), 'strategy');
    for (const id of STRATEGY_IDS) expect(message).toContain(id);
  });

  it('every strategy the format names is registered', () => {
    expect([...registeredStrategyIds()].sort()).toEqual([...STRATEGY_IDS].sort());
  });

  it('names the element of a bad enum value and the allowed values', () => {
    const message = problemAt(parseScenarioText(`${HEADER}strategy: outbox\nconsumers: { services: [email, sms] }`), 'consumers.services[1]');
    expect(message).toMatch(/email, entitlement, analytics/);
  });

  it('names the fault type field and the allowed fault types', () => {
    const message = problemAt(parseScenarioText(`${HEADER}strategy: outbox\nfaults: [{ type: explode }]`), 'faults[0].type');
    for (const type of ['crash', 'kill', 'broker-down', 'consumer-error', 'lose-publish-confirm']) expect(message).toContain(type);
  });

  it('names an unknown key, top level or nested', () => {
    expect(problemAt(parseScenarioText(`${HEADER}strategy: outbox\ncolour: blue`), 'colour')).toMatch(/unknown field/);
    expect(problemAt(parseScenarioText(`${HEADER}strategy: outbox\nworkload: { commands: 3, speed: 2 }`), 'workload.speed')).toMatch(/unknown field/);
    // The message lists what the section does accept, so the typo is easy to fix.
    expect(problemAt(parseScenarioText(`${HEADER}strategy: outbox\nworkload: { commandz: 3 }`), 'workload.commandz')).toMatch(
      /allowed: commands, interval, script/,
    );
    expect(problemAt(parseScenarioText(`${HEADER}strategy: outbox\nfaults: [{ type: broker-down, from: 1, frm: 2 }]`), 'faults[0].frm')).toMatch(
      /allowed: type, from, to, mode/,
    );
    expect(problemAt(parseScenarioText(`${HEADER}strategy: outbox\noptions: { batchsize: 2 }`), 'options.batchsize')).toMatch(/allowed: batchSize,/);
  });

  it('checks strategy options against the chosen strategy', () => {
    const result = parseScenarioText(`${HEADER}strategy: outbox\noptions: { order: publish-then-commit }`);
    expect(problemAt(result, 'options.order')).toMatch(/unknown field/);
  });

  it('rejects a crash point the strategy does not have, listing the ones it has', () => {
    const message = problemAt(parseScenarioText(`${HEADER}strategy: direct-publish\nfaults: [{ type: crash, point: after-comit }]`), 'faults[0].point');
    expect(message).toMatch(/'after-comit' is not a crash point of direct-publish; allowed: /);
    for (const point of ['after-commit', 'before-commit', 'email-after-effect']) expect(message).toContain(point);
  });

  it('refuses nth and probability together', () => {
    const result = parseScenarioText(`${HEADER}strategy: outbox\nfaults: [{ type: crash, point: after-publish, nth: 2, probability: 0.5 }]`);
    expect(problemAt(result, 'faults[0].probability')).toMatch(/either nth or probability/);
  });

  it('refuses a window that ends before it starts', () => {
    const result = parseScenarioText(`${HEADER}strategy: outbox\nfaults: [{ type: broker-down, from: 1500, to: 500 }]`);
    expect(problemAt(result, 'faults[0].to')).toMatch(/later than from \(1500\)/);
    const empty = parseScenarioText(`${HEADER}strategy: outbox\nfaults: [{ type: broker-down, from: 500, to: 500 }]`);
    expect(problemAt(empty, 'faults[0].to')).toMatch(/later than from/);
  });

  it('names an expect field that is not a counter, and an expectation it cannot read', () => {
    const result = parseScenarioText(`${HEADER}strategy: outbox\nexpect: { lots: 1, lost: "about 3" }`);
    expect(problemAt(result, 'expect.lots')).toMatch(/unknown field/);
    expect(problemAt(result, 'expect.lost')).toMatch(/comparison like ">0"/);
  });

  it.each([
    ['a list', '- a\n- b'],
    ['a scalar', 'hello'],
    ['an empty file', ''],
  ])('refuses a document that is %s, not a mapping', (_, text) => {
    expect(problemAt(parseScenarioText(text), '(top level)')).toMatch(/a scenario is a mapping of fields/);
    expect(problemsOf(validateScenario(null))[0]?.field).toBe('(top level)');
  });

  it('reports a YAML syntax error with its line', () => {
    expect(problemAt(parseScenarioText('name: t\nfaults: [ {type: crash\n  title: x'), '(file)')).toMatch(/not valid YAML or JSON at line \d+/);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf(parseScenarioText('name: t'));
    expect(problems.map((p) => p.field)).toEqual(expect.arrayContaining(['title', 'strategy', 'seed']));
  });
});

describe('command-line overrides', () => {
  const phantomFile = `${HEADER}strategy: direct-publish\noptions: { order: publish-then-commit }\nfaults: [{ type: crash, point: before-commit }]`;

  it('replace the seed and the strategy', () => {
    const result = parseScenarioTextWithOverrides(`${HEADER}strategy: outbox`, { seed: 42, strategy: 'direct-publish' });
    expect(result.ok && { seed: result.scenario.seed, strategy: result.scenario.strategy }).toEqual({ seed: 42, strategy: 'direct-publish' });
  });

  it('are applied before validation, so the file is checked against the overriding strategy', () => {
    const result = parseScenarioTextWithOverrides(phantomFile, { strategy: 'outbox' });
    expect(problemAt(result, 'faults[0].point')).toMatch(/'before-commit' is not a crash point of outbox; allowed: .*after-publish/);
    expect(problemAt(result, 'options.order')).toMatch(/unknown field/);
  });

  it('leave the file as it is when none are given', () => {
    expect(parseScenarioTextWithOverrides(phantomFile, {})).toEqual(parseScenarioText(phantomFile));
  });

  it('still report syntax errors and non-mapping documents', () => {
    expect(problemAt(parseScenarioTextWithOverrides('a: [1,\n b: 2', { seed: 3 }), '(file)')).toMatch(/not valid YAML/);
    expect(problemAt(parseScenarioTextWithOverrides('- 1\n- 2', { seed: 3 }), '(top level)')).toMatch(/mapping/);
  });

  it('are validated like file values', () => {
    expect(problemAt(parseScenarioTextWithOverrides(`${HEADER}strategy: outbox`, { seed: 2 ** 40 }), 'seed')).toBeTruthy();
    expect(problemAt(parseScenarioTextWithOverrides(`${HEADER}strategy: outbox`, { strategy: 'nope' }), 'strategy')).toMatch(/must be one of/);
  });
});

describe('kill faults name actors the run will have', () => {
  const base = { name: 'k', title: 'k', seed: 1 };
  it('accepts pool members beyond the first, rejects ones the options do not start', () => {
    expect(validateScenario({ ...base, strategy: 'process-manager', options: { workers: 3 }, faults: [{ type: 'kill', actor: 'outbox-worker-3', at: 10 }] }).ok).toBe(true);
    const tooFar = validateScenario({ ...base, strategy: 'outbox', options: { relays: 2 }, faults: [{ type: 'kill', actor: 'relay-3', at: 10 }] });
    expect(tooFar.ok).toBe(false);
    if (!tooFar.ok) expect(tooFar.problems[0]).toMatchObject({ field: 'faults[0].actor', message: expect.stringContaining('relay-2') });
  });
});
