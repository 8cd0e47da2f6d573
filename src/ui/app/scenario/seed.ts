export const SEED_MAX = 2 ** 32 - 1;

export type SeedParse = { readonly ok: true; readonly seed: number } | { readonly ok: false; readonly error: string };

/** The seed field's text as a scenario seed: a whole number the run's PRNG accepts. */
export function parseSeed(text: string): SeedParse {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: 'seed: is required (a whole number, e.g. 7)' };
  if (!/^\d+$/.test(trimmed)) return { ok: false, error: `seed: '${trimmed}' is not a whole number from 0 to ${SEED_MAX}` };
  const seed = Number(trimmed);
  if (!Number.isSafeInteger(seed) || seed > SEED_MAX) return { ok: false, error: `seed: must be at most ${SEED_MAX}` };
  return { ok: true, seed };
}
