import { describe, expect, it } from 'vitest';
import { check } from '../../src/checker/checker';
import { COUNTER_NAMES } from '../../src/checker/counters';
import { alignColumns, renderReport, summarize } from '../../src/engine/report';
import type { RunResult } from '../../src/engine/run';
import { validateScenario } from '../../src/scenario/load';
import { Trace, traceHash } from '../../src/sim/trace';

/** A hand-written run: one command commits two effects, one is performed, the run ends. */
function fakeRun(expect: Record<string, unknown>): RunResult {
  const loaded = validateScenario({ name: 'fake', title: 'A fake run', strategy: 'direct-publish', seed: 9, expect });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  let now = 0;
  const trace = new Trace(() => now);
  trace.append({ kind: 'command', commandId: 'cmd-1', command: 'submit', aggregateId: 'app-1' });
  const event = { id: 'evt-1', type: 'ApplicationSubmitted', aggregateId: 'app-1', version: 1, at: 0, payload: {} };
  trace.append({ kind: 'commit', actor: 'api', commandId: 'cmd-1', events: [event], expects: ['email:evt-1:a', 'analytics:evt-1'] });
  now = 12;
  trace.append({ kind: 'effect', consumer: 'analytics', key: 'analytics:evt-1', eventId: 'evt-1', aggregateId: 'app-1', version: 1 });
  now = 40;
  trace.append({ kind: 'run-end', reason: 'quiesced', steps: 5 });
  return { scenario: loaded.scenario, trace: trace.entries, verdict: check(trace.entries), traceHash: traceHash(trace.entries), steps: 5, endReason: 'quiesced' };
}

describe('run report', () => {
  it('puts every counter at the top level next to latency, time, steps and the trace hash', () => {
    const run = fakeRun({ lost: '>0', effects: 1 });
    const report = summarize(run);
    expect(report).toMatchObject({
      scenario: 'fake',
      title: 'A fake run',
      strategy: 'direct-publish',
      seed: 9,
      endReason: 'quiesced',
      commands: 1,
      committed: 1,
      expectedEffects: 2,
      effects: 1,
      lost: 1,
      latency: { p50: 12, p99: 12, max: 12, count: 1 },
      virtualMs: 40,
      steps: 5,
      traceEntries: 4,
      traceHash: run.traceHash,
      expectHolds: true,
      expectFailures: [],
    });
    for (const name of COUNTER_NAMES) expect(report[name], name).toBe(run.verdict.counters[name]);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('lists the expectations that fail', () => {
    const report = summarize(fakeRun({ lost: 0, effects: '>=1' }));
    expect(report.expectHolds).toBe(false);
    expect(report.expectFailures).toEqual([{ field: 'lost', expected: '=0', actual: 1, message: 'lost: expected =0, got 1' }]);
  });

  it('renders an aligned table that marks each expectation', () => {
    const text = renderReport(summarize(fakeRun({ lost: 0, effects: '>=1' })));
    expect(text).toMatch(/^scenario\s+fake \(A fake run\)$/m);
    expect(text).toMatch(/^traceHash\s+[0-9a-f]{16}$/m);
    expect(text).toMatch(/^lost\s+1\s+=0\s+FAILED$/m);
    expect(text).toMatch(/^effects\s+1\s+>=1\s+ok$/m);
    expect(text).toContain('latency commit→effect (virtual ms, 1 effects): p50 12, p99 12, max 12');
    expect(text).toMatch(/expect does NOT hold:\n\s+lost: expected =0, got 1$/);
    const valueColumn = text.split('\n').filter((line) => /^(commands|expectedEffects|lost)\s/.test(line)).map((line) => line.search(/\d/));
    expect(new Set(valueColumn).size).toBe(1);
  });

  it('says when there is nothing to check', () => {
    expect(renderReport(summarize(fakeRun({})))).toMatch(/expect: \(none given\)$/);
  });

  it('aligns columns, numbers to the right', () => {
    expect(alignColumns([['a', '1'], ['long', '100']], [false, true])).toEqual(['a       1', 'long  100']);
  });
});
