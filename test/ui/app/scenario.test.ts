import { describe, expect, it } from 'vitest';
import { catalogFrom } from '../../../src/ui/app/scenario/catalog';
import { composeScenario, faultsOfFile } from '../../../src/ui/app/scenario/compose';
import { armCrashPoint, bringBrokerUp, brokerDownAt, brokerDownNow, openBrokerOutage } from '../../../src/ui/app/scenario/inject';
import { parseSeed } from '../../../src/ui/app/scenario/seed';
import { validateScenario } from '../../../src/scenario/load';

const base = {
  name: 'outbox-crash-after-publish', title: 't', strategy: 'outbox', seed: 7,
  options: { relays: 1 }, consumers: { idempotent: false },
  faults: [{ type: 'crash', point: 'after-publish', nth: 2 }], expect: { lost: 0 },
};

describe('the scenario the page runs', () => {
  it('keeps the file as it is for its own strategy, with the chosen seed, consumers and added faults', () => {
    const { input, notes } = composeScenario(base, { strategy: 'outbox', seed: 9, idempotent: true, faults: [...faultsOfFile(base), brokerDownNow(300)] });
    expect(notes).toEqual([]);
    expect(input).toMatchObject({ seed: 9, options: { relays: 1 }, consumers: { idempotent: true }, expect: { lost: 0 } });
    expect(input.faults).toEqual([base.faults[0], { type: 'broker-down', from: 300, mode: 'refuse' }]);
    expect(validateScenario(input).ok).toBe(true);
  });

  it('for another strategy, leaves out crash points it lacks and the options, and says so', () => {
    const { input, notes } = composeScenario(base, { strategy: 'poller', seed: 7, idempotent: false, faults: [...faultsOfFile(base), armCrashPoint('after-commit', 10)] });
    expect(input.faults).toEqual([{ type: 'crash', point: 'after-commit', nth: 1, from: 10 }]);
    expect(notes.join(' ')).toContain("crash point 'after-publish' does not exist in poller");
    expect(notes.join(' ')).toContain('options (relays)');
    expect(input.expect).toBeUndefined();
    expect(validateScenario(input).ok).toBe(true);
  });

  it('a broker taken down is brought up by ending its outage now', () => {
    const faults = [brokerDownNow(100)];
    expect(openBrokerOutage(faults, 150)).toBe(0);
    const up = bringBrokerUp(faults, 0, 150);
    expect(up[0]).toEqual({ type: 'broker-down', from: 100, to: 150, mode: 'refuse' });
    expect(brokerDownAt(up, 149)).toBe(true);
    expect(brokerDownAt(up, 150)).toBe(false);
    expect(bringBrokerUp(faults, 0, 100)[0]).toMatchObject({ to: 101 });
  });

  it('the seed field names itself when it is wrong', () => {
    expect(parseSeed(' 42 ')).toEqual({ ok: true, seed: 42 });
    expect(parseSeed('abc')).toMatchObject({ ok: false, error: expect.stringMatching(/^seed: 'abc' is not a whole number/) });
    expect(parseSeed('')).toMatchObject({ ok: false, error: expect.stringMatching(/^seed: is required/) });
    expect(parseSeed('99999999999')).toMatchObject({ ok: false, error: expect.stringMatching(/^seed: must be at most/) });
  });

  it('lists scenario files by name and reports one that is not YAML', () => {
    const entries = catalogFrom({ '/scenarios/b.yaml': 'name: b\ntitle: B\nstrategy: outbox', '/scenarios/a.yaml': 'name: [' });
    expect(entries.map((e) => e.name)).toEqual(['a', 'b']);
    expect(entries[0]!.problem).toMatch(/^a\.yaml: /);
    expect(entries[1]).toMatchObject({ title: 'B', strategy: 'outbox' });
  });
});
