import { validateScenario, type ScenarioProblem } from './load';
import type { Scenario } from './schema';

/**
 * Permalinks carry a whole scenario (strategy, seed, workload, faults — including those
 * injected by hand) and the step shown, as data only: JSON, deflated, base64url. Opening one
 * validates it exactly like a scenario file, so a tampered link can only ever produce an error
 * message or a scenario the app could have loaded anyway.
 */
export interface Permalink {
  readonly scenario: Scenario;
  /** The trace index the page showed (cursor); 0 when absent. */
  readonly step: number;
  /** The strategies shown in Compare, if any. */
  readonly compare?: readonly string[];
}

export type PermalinkResult = ({ ok: true } & Permalink) | { ok: false; problems: ScenarioProblem[] };

const VERSION = 'v1';
/** Longest payload accepted: browsers and chat tools cope with URLs far longer, wikis less so. */
export const MAX_PERMALINK_CHARS = 16_000;
/** Longest JSON a payload may inflate to: guards against decompression bombs. */
export const MAX_PERMALINK_JSON_BYTES = 256_000;

/** The page reads a permalink from its `s` query parameter. */
export const PERMALINK_PARAM = 's';

export function permalinkUrl(base: string, payload: string): string {
  return `${base}${base.includes('?') ? '&' : '?'}${PERMALINK_PARAM}=${payload}`;
}

export async function encodePermalink(link: Permalink): Promise<string> {
  const { scenario, step, compare } = link;
  const json = JSON.stringify({ scenario, step, ...(compare && compare.length > 0 ? { compare } : {}) });
  const packed = `${VERSION}.${toBase64Url(await deflate(new TextEncoder().encode(json)))}`;
  if (packed.length > MAX_PERMALINK_CHARS) {
    throw new Error(`the scenario is too large for a link (${packed.length} characters, at most ${MAX_PERMALINK_CHARS}); export it as a file instead`);
  }
  return packed;
}

export async function decodePermalink(payload: string): Promise<PermalinkResult> {
  const fail = (message: string): PermalinkResult => ({ ok: false, problems: [{ field: '(link)', message }] });
  if (payload.length > MAX_PERMALINK_CHARS) return fail(`the link is too long (${payload.length} characters, at most ${MAX_PERMALINK_CHARS})`);
  const [version, body, ...rest] = payload.split('.');
  if (version !== VERSION || body === undefined || rest.length > 0) return fail(`not a link this app made (expected '${VERSION}.' and data)`);
  const bytes = fromBase64Url(body);
  if (!bytes) return fail('the link is damaged (not base64url data)');
  let json: string;
  try {
    json = new TextDecoder('utf-8', { fatal: true }).decode(await inflate(bytes, MAX_PERMALINK_JSON_BYTES));
  } catch (error) {
    return fail(error instanceof TooLarge ? 'the link unpacks to too much data' : 'the link is damaged (cannot be unpacked)');
  }
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return fail('the link is damaged (not JSON)');
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return fail('the link holds no scenario');
  const { scenario, step, compare } = data as Record<string, unknown>;
  const loaded = validateScenario(scenario);
  if (!loaded.ok) return { ok: false, problems: loaded.problems.map((p) => ({ field: `scenario.${p.field}`, message: p.message })) };
  if (step !== undefined && (typeof step !== 'number' || !Number.isInteger(step) || step < 0 || step > 10_000_000)) {
    return fail('step must be a whole number ≥ 0');
  }
  if (compare !== undefined && (!Array.isArray(compare) || compare.length > 4 || !compare.every((c) => typeof c === 'string' && c.length < 40))) {
    return fail('compare must be a short list of strategy ids');
  }
  return { ok: true, scenario: loaded.scenario, step: (step as number | undefined) ?? 0, ...(compare ? { compare: compare as string[] } : {}) };
}

class TooLarge extends Error {}

async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function inflate(bytes: Uint8Array, limit: number): Promise<Uint8Array> {
  const reader = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw new TooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  const base64 = text.replaceAll('-', '+').replaceAll('_', '/') + '='.repeat((4 - (text.length % 4)) % 4);
  try {
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}
