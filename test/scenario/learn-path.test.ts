import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chapterOf, LEARN_PATH, learnOrder, nextInPath } from '../../src/scenario/learn-path';
import { parseScenarioText } from '../../src/scenario/load';
import type { Scenario } from '../../src/scenario/schema';

/**
 * The Learn path must hold every curated scenario exactly once: a new file in scenarios/ that
 * is not placed in a chapter fails here, as does a chapter naming a scenario that is gone.
 * Reads the files only; nothing is run (test/scenarios runs them).
 */
const SCENARIO_DIR = join(import.meta.dirname, '../../scenarios');
const files = readdirSync(SCENARIO_DIR)
  .filter((file) => /\.(ya?ml|json)$/.test(file))
  .sort();

const scenarios: Array<{ file: string; scenario: Scenario }> = files.map((file) => {
  const loaded = parseScenarioText(readFileSync(join(SCENARIO_DIR, file), 'utf8'));
  if (!loaded.ok) throw new Error(`${file} is not a valid scenario: ${loaded.problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
  return { file, scenario: loaded.scenario };
});
const names = scenarios.map(({ scenario }) => scenario.name);

const duplicatesIn = (list: readonly string[]) => list.filter((item, index) => list.indexOf(item) !== index);

describe('the Learn path', () => {
  it('finds the scenario files', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it('places every scenario file in a chapter', () => {
    const order = learnOrder();
    const missing = scenarios.filter(({ scenario }) => !order.includes(scenario.name)).map(({ file }) => file);
    expect(missing, 'scenario files not on the Learn path: add them to a chapter in src/scenario/learn-path.ts').toEqual([]);
  });

  it('places each scenario once', () => {
    expect(duplicatesIn(learnOrder())).toEqual([]);
  });

  it('names only scenarios that exist as files (by their name field)', () => {
    expect(learnOrder().filter((name) => !names.includes(name))).toEqual([]);
  });

  it('has scenario names that are unique across files', () => {
    expect(duplicatesIn(names)).toEqual([]);
  });

  it('gives every chapter a unique id, a title, an intro and at least one scenario', () => {
    expect(duplicatesIn(LEARN_PATH.map((chapter) => chapter.id))).toEqual([]);
    for (const chapter of LEARN_PATH) {
      expect(chapter.id).toMatch(/^[a-z0-9][a-z0-9-]*$/);
      expect(chapter.title.trim(), chapter.id).not.toBe('');
      expect(chapter.intro.trim(), chapter.id).not.toBe('');
      expect(chapter.scenarios.length, chapter.id).toBeGreaterThan(0);
    }
  });

  it.each(files)('%s asks a predict-first question and has an answer', (file) => {
    const { scenario } = scenarios.find((s) => s.file === file)!;
    expect(scenario.predict, `${file} has no predict block`).toBeDefined();
    expect(scenario.predict!.question.trim()).toMatch(/\?$/);
    expect(scenario.predict!.answer.trim()).not.toBe('');
  });

  it('starts with the dual write and ends with the choice between strategies', () => {
    const order = learnOrder();
    expect(order[0]).toBe('direct-publish-crash-after-commit');
    expect(order.at(-1)).toBe('choose-direct-publish-outbox-or-2pc');
  });

  it('finds a scenario’s chapter and the next scenario, across chapter ends', () => {
    expect(chapterOf('outbox-poison-message')?.id).toBe('outbox');
    expect(chapterOf('no-such-scenario')).toBeUndefined();
    const firstOfOutbox = LEARN_PATH.find((chapter) => chapter.id === 'outbox')!.scenarios[0];
    expect(nextInPath('direct-publish-broker-outage')).toBe(firstOfOutbox);
    expect(nextInPath('choose-direct-publish-outbox-or-2pc')).toBeUndefined();
    expect(nextInPath('no-such-scenario')).toBeUndefined();
  });
});
