import { decodePermalink, encodePermalink, PERMALINK_PARAM, permalinkUrl } from '../../scenario/permalink';
import type { Scenario } from '../../scenario/schema';
import type { Opening } from '../app/controller';
import type { CatalogEntry } from '../app/scenario/catalog';
import { mainCursor, type LabState } from '../store';

/** The picker's key for a scenario opened from a link. */
export const LINKED_FILE = '(link)';

/** The page's address without its query: where a permalink points (embed mode kept, so an embed shares an embed). */
export function pageBase(location: Pick<Location, 'origin' | 'pathname' | 'search'>): string {
  const embed = new URLSearchParams(location.search).get('embed');
  return `${location.origin}${location.pathname}${embed ? `?embed=${encodeURIComponent(embed)}` : ''}`;
}

/**
 * The link that reproduces what the page shows: the scenario exactly as it ran (faults injected
 * by hand included: they are in the run's scenario), the main run's step and the compared strategy.
 */
export async function shareUrl(state: LabState, base: string): Promise<string> {
  const run = state.run;
  if (!run) throw new Error('nothing has run yet');
  const compare = state.compare.enabled ? [state.compare.strategy] : undefined;
  const payload = await encodePermalink({ scenario: run.result.scenario, step: mainCursor(state), ...(compare ? { compare } : {}) });
  return permalinkUrl(base, payload);
}

export function entryOfScenario(file: string, scenario: Scenario, titleSuffix: string): CatalogEntry {
  return {
    file,
    name: scenario.name,
    title: `${scenario.title} ${titleSuffix}`,
    strategy: scenario.strategy,
    text: JSON.stringify(scenario),
    data: scenario as unknown as Record<string, unknown>,
  };
}

export type LinkReading = { readonly kind: 'none' } | { readonly kind: 'opening'; readonly opening: Opening } | { readonly kind: 'broken'; readonly message: string };

/** What the `?s=` parameter asks for: nothing, a scenario to open, or why it cannot be opened. */
export async function readLink(search: string): Promise<LinkReading> {
  const payload = new URLSearchParams(search).get(PERMALINK_PARAM);
  if (payload === null) return { kind: 'none' };
  try {
    const decoded = await decodePermalink(payload);
    if (!decoded.ok) return { kind: 'broken', message: decoded.problems.map((p) => (p.field === '(link)' ? p.message : `${p.field}: ${p.message}`)).join('; ') };
    const compare = decoded.compare?.find((id) => id !== decoded.scenario.strategy);
    return { kind: 'opening', opening: { entry: entryOfScenario(LINKED_FILE, decoded.scenario, '(from a link)'), step: decoded.step, ...(compare ? { compare } : {}) } };
  } catch (error) {
    return { kind: 'broken', message: `the link cannot be read (${error instanceof Error ? error.message : String(error)})` };
  }
}
