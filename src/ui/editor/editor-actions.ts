import { parse as parseYaml } from 'yaml';
import type { Controller } from '../app/controller';
import { catalog, type CatalogEntry } from '../app/scenario/catalog';
import { useLab } from '../store';
import { flushDraft, keepDraft, loadDraft } from './drafts';
import { useEditor } from './editor-store';
import { lineOfField } from './field-lines';
import { loadSaved, savedFileKey, savedIdOf, saveScenario, useSaved } from './saved-store';
import { duplicateText, NEW_SCENARIO, scenarioText } from './templates';

const CHECK_SETTLE_MS = 400;
const EDITOR_FILE = '(editor)';
let checkTimer: ReturnType<typeof setTimeout> | undefined;
let checkSequence = 0;

/** The editor's behaviour: text in, problems placed on lines, drafts kept, saves and runs through the controller. */
export function editorActions(controller: Controller) {
  const set = useEditor.setState;
  const get = useEditor.getState;

  async function check(): Promise<{ ok: boolean; name?: string; title?: string }> {
    const sequence = ++checkSequence;
    const { text } = get();
    set({ checking: true });
    const result = await controller.validateText(text).catch((error: unknown) => ({
      ok: false as const,
      problems: [{ field: '(file)', message: error instanceof Error ? error.message : String(error) }],
    }));
    if (sequence !== checkSequence) return { ok: false };
    if (result.ok) {
      set({ checking: false, problems: [] });
      return { ok: true, name: result.scenario.name, title: result.scenario.title };
    }
    set({ checking: false, problems: result.problems.map((p) => ({ ...p, line: lineOfField(text, p.field, p.message) })) });
    return { ok: false };
  }

  function load(text: string, savedId: string | undefined, status: string): void {
    set({ open: true, text, savedId, problems: [], status });
    keepDraft(text, savedId);
    void check();
  }

  return {
    /** Restores the draft and the saved list: whatever was typed before a reload is still there. */
    async restore(): Promise<void> {
      await loadSaved();
      const draft = await loadDraft();
      if (draft) set({ text: draft.text, savedId: draft.savedId, status: 'Draft restored from this browser.' });
    },

    open(): void {
      if (get().text) {
        set({ open: true });
        void check();
      } else this.duplicateCurrent();
    },

    close(): void {
      void flushDraft();
      set({ open: false });
    },

    type(text: string): void {
      set({ text, status: undefined });
      keepDraft(text, get().savedId);
      clearTimeout(checkTimer);
      checkTimer = setTimeout(() => void check(), CHECK_SETTLE_MS);
    },

    createNew(): void {
      load(NEW_SCENARIO, undefined, 'New scenario: edit it, then Run or Save.');
    },

    duplicateCurrent(): void {
      const lab = useLab.getState();
      const file = catalog.find((entry) => entry.file === lab.scenarioFile);
      const savedId = savedIdOf(lab.scenarioFile);
      const saved = savedId ? useSaved.getState().scenarios.find((s) => s.id === savedId) : undefined;
      const run = lab.run?.result.scenario;
      const text = file ? duplicateText(file.text) : saved ? duplicateText(saved.text) : run ? duplicateText(scenarioText(run)) : NEW_SCENARIO;
      load(text, undefined, 'A copy of the scenario on screen: edit it, then Run or Save.');
    },

    importText(text: string, fileName: string): void {
      load(text, undefined, `Imported ${fileName}.`);
    },

    async save(): Promise<boolean> {
      const checked = await check();
      if (!checked.ok || !checked.name || !checked.title) {
        set({ status: 'Not saved: fix the problems first (the draft is kept as typed).' });
        return false;
      }
      const id = get().savedId ?? `${checked.name}-${Date.now().toString(36)}`;
      try {
        await saveScenario({ id, name: checked.name, title: checked.title, text: get().text, savedAt: Date.now() });
        set({ savedId: id, status: `Saved “${checked.title}” in this browser.` });
        keepDraft(get().text, id);
        return true;
      } catch (error) {
        set({ status: `Not saved: ${error instanceof Error ? error.message : String(error)} (the draft is kept).` });
        return false;
      }
    },

    async run(): Promise<void> {
      const checked = await check();
      if (!checked.ok || !checked.title) return;
      const { text, savedId } = get();
      const file = savedId ? savedFileKey(savedId) : EDITOR_FILE;
      const entry = entryFromText(file, text, savedId ? `${checked.title} (saved)` : `${checked.title} (editor)`);
      if (!savedId) set({ ranAs: { file, title: entry.title } });
      set({ open: false });
      await controller.open({ entry });
    },

    /** The picker chose a saved scenario (or a file): open it. */
    choose(file: string): void {
      const savedId = savedIdOf(file);
      const saved = savedId ? useSaved.getState().scenarios.find((s) => s.id === savedId) : undefined;
      if (saved) void controller.open({ entry: entryFromText(file, saved.text, `${saved.title} (saved)`) });
      else controller.chooseScenario(file);
    },
  };
}

export type EditorActions = ReturnType<typeof editorActions>;

function entryFromText(file: string, text: string, title: string): CatalogEntry {
  let data: unknown;
  try {
    data = parseYaml(text, { maxAliasCount: 100 });
  } catch {
    data = undefined;
  }
  const record = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
  return {
    file,
    text,
    title,
    name: typeof record?.name === 'string' ? record.name : file,
    strategy: typeof record?.strategy === 'string' ? record.strategy : '',
    ...(record ? { data: record } : { problem: 'the scenario is not a YAML mapping' }),
  };
}
