import { describe, expect, it } from 'vitest';
import { sampleIndexAt, seriesFrom } from '../../src/ui/derive/series';
import { useWorld } from '../support/world';
import { runScenarioFile } from './scenario-traces';

const world = useWorld();

const during = (t: readonly number[], values: readonly number[], fromMs: number, toMs: number) =>
  values.filter((_, i) => t[i]! >= fromMs && t[i]! < toMs);

describe('seriesFrom', () => {
  it('outbox, broker down for a second: the backlog rises during the outage and returns to 0', async () => {
    const { trace, verdict } = await runScenarioFile(world, 'outbox-broker-outage');
    const series = seriesFrom(trace);
    expect(series.backlogLabel).toBe('unpublished events');
    expect(series.faultWindows).toEqual([{ from: 500, to: 1500, label: 'broker down (connections refused)' }]);
    const before = Math.max(...during(series.t, series.backlog, 0, 500));
    const inOutage = Math.max(...during(series.t, series.backlog, 500, 1500));
    expect(inOutage).toBeGreaterThan(before);
    expect(inOutage).toBeGreaterThan(3);
    expect(series.backlog.at(-1)).toBe(0);
    for (const depths of Object.values(series.queueDepth)) {
      expect(depths).toHaveLength(series.t.length);
      expect(depths.at(-1)).toBe(0);
    }
    expect(series.latency.t).toHaveLength(verdict.latency.count);
    expect(Math.max(...series.latency.ms)).toBe(verdict.latency.max);
  });

  it('direct publish, same outage: the backlog never drains — those events are lost', async () => {
    const { trace, verdict } = await runScenarioFile(world, 'direct-publish-broker-outage');
    const series = seriesFrom(trace);
    expect(verdict.counters.lost).toBeGreaterThan(0);
    expect(series.backlog.at(-1)).toBeGreaterThan(0);
  });

  it('poller: the backlog counts effects owed; one failing email service holds its events back', async () => {
    const { trace } = await runScenarioFile(world, 'poller-head-of-line');
    const series = seriesFrom(trace);
    expect(series.backlogLabel).toBe('effects owed');
    expect(series.queueDepth).toEqual({});
    expect(Math.max(...series.backlog)).toBeGreaterThan(5);
    expect(series.backlog.at(-1)).toBe(0);
  });

  it('samples once per instant, in time order, and records crashes', async () => {
    const { trace } = await runScenarioFile(world, 'outbox-crash-after-publish');
    const series = seriesFrom(trace);
    expect(series.t.every((t, i) => i === 0 || t > series.t[i - 1]!)).toBe(true);
    expect(series.t.at(-1)).toBe(trace.at(-1)!.t);
    expect(series.crashes).toEqual([{ t: 104, label: 'Relay crashed at after-publish' }]);
    expect(seriesFrom(trace)).toBe(series);
  });

  it('an empty trace gives empty series', () => {
    expect(seriesFrom([])).toMatchObject({ t: [], backlog: [], queueDepth: {}, latency: { t: [], ms: [] }, faultWindows: [], crashes: [] });
  });
});

describe('sampleIndexAt', () => {
  it('finds the last sample at or before a virtual time', () => {
    const t = [0, 100, 104, 300];
    expect(sampleIndexAt(t, -1)).toBe(-1);
    expect(sampleIndexAt(t, 0)).toBe(0);
    expect(sampleIndexAt(t, 103)).toBe(1);
    expect(sampleIndexAt(t, 104)).toBe(2);
    expect(sampleIndexAt(t, 10_000)).toBe(3);
  });
});
