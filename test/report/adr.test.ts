import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioUnder } from '../../src/engine/compare';
import { runScenario } from '../../src/engine/run';
import { adrMarkdown } from '../../src/report/adr';
import { parseScenarioText } from '../../src/scenario/load';
import { decodePermalink, encodePermalink, PERMALINK_PARAM, permalinkUrl } from '../../src/scenario/permalink';
import { useWorld } from '../support/world';

const world = useWorld();
const loaded = parseScenarioText(readFileSync(join(import.meta.dirname, '../../scenarios/choose-direct-publish-outbox-or-2pc.yaml'), 'utf8'));
if (!loaded.ok) throw new Error('fixture invalid');
const scenario = loaded.scenario;

describe('Export for ADR', () => {
  it('has the checker table for every strategy compared, a Mermaid diagram and a link that reproduces the run', async () => {
    const runs = [await runScenario(world.pg, scenario)];
    for (const other of scenario.compareWith) runs.push(await runScenario(world.pg, scenarioUnder(scenario, other).scenario));
    const link = permalinkUrl('https://example.org/lab/', await encodePermalink({ scenario, step: 0, compare: scenario.compareWith }));
    const md = adrMarkdown({ scenario, runs, permalink: link });

    expect(md).toContain(`### ${scenario.title}`);
    expect(md).toMatch(/\| \| Direct publish \| Transactional outbox \| Two-phase commit \|/);
    const lostRow = md.split('\n').find((l) => l.startsWith('| lost effects'));
    expect(lostRow).toBe(`| lost effects | ${runs.map((r) => r.verdict.counters.lost).join(' | ')} |`);
    expect(runs[0]!.verdict.counters.lost).toBeGreaterThan(0);
    expect(runs[1]!.verdict.counters.lost).toBe(0);

    const mermaid = /```mermaid\n([\s\S]*?)\n```/.exec(md)?.[1] ?? '';
    expect(mermaid.split('\n')[0]).toBe('sequenceDiagram');
    expect(mermaid).toContain('publish evt-');
    expect(mermaid).toMatch(/\(unavailable\)/);
    // Every line is a declaration, an arrow or a note: nothing Mermaid would choke on.
    for (const line of mermaid.split('\n').slice(1)) expect(line).toMatch(/^ {2}(participant \w+ as \S+|\w+->>\w+: [^;#]+|Note over \w+: [^;#]+)$/);

    const payload = new URL(/\[Reproduce this run\]\(([^)]+)\)/.exec(md)![1]!).searchParams.get(PERMALINK_PARAM)!;
    const opened = await decodePermalink(payload);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.compare).toEqual(['outbox', 'two-phase-commit']);
    const replayed = await runScenario(world.pg, opened.scenario);
    expect(replayed.traceHash).toBe(runs[0]!.traceHash);
    expect(md).toContain(runs[0]!.traceHash);
  });

  it('comparing drops crash points the other strategy does not have, and says which', () => {
    const withCrash = { ...scenario, faults: [...scenario.faults, { type: 'crash' as const, point: 'after-publish' }] };
    const { scenario: underTwoPc, dropped } = scenarioUnder(withCrash, 'two-phase-commit');
    expect(dropped).toEqual([{ type: 'crash', point: 'after-publish' }]);
    expect(underTwoPc.faults).toEqual(scenario.faults);
    expect(scenarioUnder(withCrash, 'outbox').dropped).toEqual([]);
  });
});
