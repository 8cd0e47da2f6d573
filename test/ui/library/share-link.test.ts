import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenarioOrThrow } from '../../../src/scenario/load';
import { encodePermalink } from '../../../src/scenario/permalink';
import { fullLabUrl, isEmbed } from '../../../src/ui/embed/embed-mode';
import { pageBase, readLink } from '../../../src/ui/share/share-link';

const scenario = loadScenarioOrThrow(readFileSync('scenarios/outbox-broker-outage.yaml', 'utf8'));

describe('links the page reads', () => {
  it('opens a valid link at its step with its compared strategy', async () => {
    const payload = await encodePermalink({ scenario, step: 12, compare: ['direct-publish'] });
    const read = await readLink(`?s=${payload}`);
    expect(read.kind).toBe('opening');
    if (read.kind !== 'opening') return;
    expect(read.opening.step).toBe(12);
    expect(read.opening.compare).toBe('direct-publish');
    expect(read.opening.entry.data).toEqual(scenario);
  });

  it('says why a tampered link cannot be opened, and ignores pages without one', async () => {
    const payload = await encodePermalink({ scenario, step: 0 });
    const tampered = `${payload.slice(0, 20)}${payload[20] === 'A' ? 'B' : 'A'}${payload.slice(21)}`;
    expect((await readLink(`?s=${tampered}`)).kind).toBe('broken');
    expect(await readLink('?s=v2.abc')).toEqual({ kind: 'broken', message: expect.stringContaining('not a link this app made') });
    expect(await readLink('?embed=1')).toEqual({ kind: 'none' });
  });

  it('keeps embed mode in shared links and drops it for "open in the lab"', () => {
    const location = { origin: 'https://x.test', pathname: '/lab/', search: '?embed=1&s=v1.abc' };
    expect(pageBase(location)).toBe('https://x.test/lab/?embed=1');
    expect(fullLabUrl(location)).toBe('https://x.test/lab/?s=v1.abc');
    expect(isEmbed('?embed=1')).toBe(true);
    expect(isEmbed('?embed=0')).toBe(false);
    expect(isEmbed('')).toBe(false);
  });
});
