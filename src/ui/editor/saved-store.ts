import { create } from 'zustand';
import { idbAll, idbDelete, idbPut } from './idb';

/** A scenario kept in this browser (IndexedDB), as typed. */
export interface SavedScenario {
  readonly id: string;
  readonly name: string;
  readonly title: string;
  readonly text: string;
  readonly savedAt: number;
}

export interface SavedState {
  readonly scenarios: readonly SavedScenario[];
  readonly error?: string;
}

export const useSaved = create<SavedState>()(() => ({ scenarios: [] }));

const SAVED_PREFIX = 'saved:';
export const savedFileKey = (id: string) => `${SAVED_PREFIX}${id}`;
export const savedIdOf = (file: string) => (file.startsWith(SAVED_PREFIX) ? file.slice(SAVED_PREFIX.length) : undefined);

const sorted = (list: readonly SavedScenario[]) => [...list].sort((a, b) => a.title.localeCompare(b.title));

export async function loadSaved(): Promise<void> {
  try {
    useSaved.setState({ scenarios: sorted(await idbAll<SavedScenario>('scenarios')), error: undefined });
  } catch (error) {
    useSaved.setState({ error: `Saved scenarios are not available in this browser (${error instanceof Error ? error.message : String(error)})` });
  }
}

export async function saveScenario(scenario: SavedScenario): Promise<void> {
  await idbPut('scenarios', scenario);
  useSaved.setState((s) => ({ scenarios: sorted([...s.scenarios.filter((x) => x.id !== scenario.id), scenario]) }));
}

export async function deleteSaved(id: string): Promise<void> {
  await idbDelete('scenarios', id);
  useSaved.setState((s) => ({ scenarios: s.scenarios.filter((x) => x.id !== id) }));
}
