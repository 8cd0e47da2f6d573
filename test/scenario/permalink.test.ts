import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePermalink, encodePermalink, MAX_PERMALINK_CHARS } from '../../src/scenario/permalink';
import { parseScenarioText } from '../../src/scenario/load';

const curated = parseScenarioText(readFileSync(join(import.meta.dirname, '../../scenarios/outbox-crash-after-publish.yaml'), 'utf8'));
if (!curated.ok) throw new Error('fixture invalid');
const scenario = curated.scenario;

describe('permalinks', () => {
  it('round-trip a scenario with hand-injected faults and the step shown', async () => {
    const edited = { ...scenario, faults: [...scenario.faults, { type: 'kill' as const, actor: 'relay', at: 1234 }] };
    const payload = await encodePermalink({ scenario: edited, step: 321, compare: ['direct-publish'] });
    expect(payload).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(payload.length).toBeLessThan(4_000);
    const opened = await decodePermalink(payload);
    expect(opened).toMatchObject({ ok: true, step: 321, compare: ['direct-publish'] });
    if (opened.ok) expect(opened.scenario).toEqual(edited);
  });

  it('a tampered or truncated link gives a clear message, never an exception', async () => {
    const payload = await encodePermalink({ scenario, step: 0 });
    for (const broken of [payload.slice(0, 20), payload.replace('v1.', 'v9.'), `${payload}!`, 'v1.', '', 'v1.AAAA', 'v1.a.b']) {
      const opened = await decodePermalink(broken);
      expect(opened.ok, broken).toBe(false);
      if (!opened.ok) expect(opened.problems[0]!.message.length).toBeGreaterThan(5);
    }
  });

  it('a valid link to an invalid scenario names the field', async () => {
    const payload = await encodePermalink({ scenario: { ...scenario, seed: -1 } as never, step: 0 });
    const opened = await decodePermalink(payload);
    expect(opened).toMatchObject({ ok: false, problems: [{ field: 'scenario.seed' }] });
  });

  it('refuses links that are too long or inflate to too much (no decompression bombs)', async () => {
    expect((await decodePermalink(`v1.${'A'.repeat(MAX_PERMALINK_CHARS)}`)).ok).toBe(false);
    const padded = { scenario, step: 0, padding: ' '.repeat(400_000) };
    const stream = new Blob([JSON.stringify(padded)]).stream().pipeThrough(new CompressionStream('deflate-raw'));
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    const payload = `v1.${btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')}`;
    const opened = await decodePermalink(payload);
    expect(opened.ok).toBe(false);
    if (!opened.ok) expect(opened.problems[0]!.message).toMatch(/too much/);
  });

  it('property: any string as a link payload loads or explains itself, and never throws', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.base64String().map((s) => `v1.${s}`)), async (text) => {
        const opened = await decodePermalink(text);
        if (!opened.ok) expect(opened.problems.length).toBeGreaterThan(0);
      }),
      { numRuns: 3_000, seed: 7 },
    );
  });
});
