import { parseDocument } from 'yaml';
import { parseScenarioText, validateScenario, type LoadResult } from './load';

/** Values given on the command line (or by the page) that replace the file's own. */
export interface ScenarioOverrides {
  readonly strategy?: string;
  readonly seed?: number;
}

/**
 * Parses a scenario file and applies overrides *before* validating, so the result is checked
 * as a whole: a crash point the file names must also exist in an overriding strategy.
 */
export function parseScenarioTextWithOverrides(text: string, overrides: ScenarioOverrides): LoadResult {
  const given = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  if (Object.keys(given).length === 0) return parseScenarioText(text);
  const document = parseDocument(text);
  // The loader words syntax errors (with the line); let it do so for this text too.
  if (document.errors.length > 0) return parseScenarioText(text);
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: 100 });
  } catch {
    return parseScenarioText(text);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return validateScenario(data);
  return validateScenario({ ...(data as Record<string, unknown>), ...given });
}
