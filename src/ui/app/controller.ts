import { createActor } from 'xstate';
import { stringify as toYaml } from 'yaml';
import type { RunResult } from '../../engine/run';
import type { Fault } from '../../scenario/schema';
import type { TraceEntry } from '../../sim/trace';
import { playbackMachine, type PlaybackEvent, type PlaybackState, type Speed } from '../playback';
import { mainCursor, useLab, virtualNowMs, type LabState, type RunView, type ScenarioFault, type Theme } from '../store';
import type { EngineClient } from '../worker/client';
import { latestOnly } from '../worker/latest-only';
import { lockStep } from './compare/timeline';
import { catalog, type CatalogEntry } from './scenario/catalog';
import { composeScenario, faultsOfFile } from './scenario/compose';
import { bringBrokerUp, openBrokerOutage } from './scenario/inject';
import { parseSeed } from './scenario/seed';

export const DEFAULT_SCENARIO = 'direct-publish-crash-after-commit';
const THEME_KEY = 'outbox-lab.theme';
const SEED_SETTLE_MS = 350;

/** Where the cursor goes after a re-run: the start, the same virtual time, as far as the runs agree, or a step a link named. */
type Keep = 'start' | 'time' | 'prefix' | { readonly cursor: number };

/** A scenario that is not a file in scenarios/ (a permalink, a saved one), the step to land on and the strategy to compare with. */
export interface Opening {
  readonly entry: CatalogEntry;
  readonly step?: number;
  readonly compare?: string;
}

/** How many leading entries two traces share: a re-run with a fault added from now agrees up to now. */
export function sharedPrefix(before: readonly TraceEntry[], after: readonly TraceEntry[]): number {
  const n = Math.min(before.length, after.length);
  for (let i = 0; i < n; i++) if (JSON.stringify(before[i]) !== JSON.stringify(after[i])) return i;
  return n;
}

/** The cursor that shows the same virtual time in another run of the scenario. */
export function cursorAtTime(trace: readonly TraceEntry[], virtualMs: number): number {
  let cursor = 0;
  while (cursor < trace.length && trace[cursor]!.t <= virtualMs) cursor++;
  return cursor;
}

/**
 * The page's behaviour: everything a control does goes through here, and here only the store,
 * the worker and the playback machine are touched. Components read the store and call these.
 */
export function createController(client: EngineClient) {
  const get = useLab.getState;
  const set = useLab.setState;
  const playback = createActor(playbackMachine).start();
  playback.subscribe((snapshot) => {
    const { cursor, length, speed } = snapshot.context;
    set({ playback: { state: snapshot.value as PlaybackState, cursor, length, speed } });
  });

  let runSequence = 0;
  let seedTimer: ReturnType<typeof setTimeout> | undefined;
  const loadTables = latestOnly((runId: number, cursor: number) => client.tables(runId, cursor));

  // Links and saved scenarios: picked like files, keyed by a file name no file has.
  const openedEntries = new Map<string, CatalogEntry>();
  const entryOf = (file: string): CatalogEntry | undefined => catalog.find((e) => e.file === file) ?? openedEntries.get(file);

  /** The scenario the controls describe, for a strategy: the file with strategy, seed, consumers and faults applied. */
  function compose(strategy: string, state: LabState) {
    const entry = entryOf(state.scenarioFile);
    const seed = parseSeed(state.seedText);
    if (!entry?.data || !seed.ok) return undefined;
    return composeScenario(entry.data, { strategy, seed: seed.seed, idempotent: state.idempotent, faults: state.faults.map((f) => f.fault) });
  }

  async function runComposed(strategy: string, state: LabState): Promise<RunView | { problems: LabState['problems'] } | undefined> {
    const composed = compose(strategy, state);
    if (!composed) return undefined;
    const outcome = await client.run(composed.input);
    if (!outcome.ok) return { problems: outcome.problems };
    return { runId: outcome.runId, result: outcome.result, notes: composed.notes };
  }

  /** Runs the scenario as the controls now describe it (and its compare partner), then puts the cursor where `keep` says. */
  async function rerun(keep: Keep): Promise<void> {
    const sequence = ++runSequence;
    const before = get();
    const entry = entryOf(before.scenarioFile);
    if (entry?.problem) {
      set({ problems: [{ field: '(file)', message: entry.problem }] });
      return;
    }
    set({ running: true, runError: undefined });
    try {
      const main = await runComposed(before.strategy, before);
      const partner = before.compare.enabled ? await runComposed(before.compare.strategy, get()) : undefined;
      if (sequence !== runSequence) return;
      if (!main) return set({ running: false });
      if ('problems' in main) return set({ running: false, problems: main.problems });
      if (partner && 'problems' in partner) return set({ running: false, problems: partner.problems.map((p) => ({ ...p, field: `compare: ${p.field}` })) });
      const now = get();
      const cursor = placeCursor(keep, now, main.result);
      const compare = { ...now.compare, run: partner, lockStep: partner ? lockStep(main.result.trace, partner.result.trace) : undefined };
      set({ running: false, problems: [], run: main, compare });
      loadPlayback(cursor);
    } catch (error) {
      if (sequence === runSequence) set({ running: false, runError: error instanceof Error ? error.message : String(error) });
    }
  }

  function placeCursor(keep: Keep, state: LabState, next: RunResult): number {
    if (typeof keep === 'object') return Math.min(keep.cursor, next.trace.length);
    const previous = state.run?.result.trace;
    if (keep === 'start' || !previous) return 0;
    const cursor = mainCursor(state);
    if (keep === 'prefix') return Math.min(cursor, sharedPrefix(previous, next.trace));
    if (state.playback.state === 'ended') return next.trace.length;
    return cursorAtTime(next.trace, virtualNowMs(state));
  }

  /** Loads the current run(s) into the playback machine with the main run at `cursor`. */
  function loadPlayback(cursor: number): void {
    const { run, compare } = get();
    if (!run) return;
    if (compare.enabled && compare.lockStep) {
      playback.send({ type: 'LOAD', length: compare.lockStep.length, cursor: compare.lockStep.cursorForLeft(cursor) });
    } else {
      playback.send({ type: 'LOAD', length: run.result.trace.length, cursor });
    }
  }

  function followCursorWithTables(): void {
    let shown: { runId: number; cursor: number } | undefined;
    useLab.subscribe((state) => {
      const runId = state.run?.runId;
      const cursor = mainCursor(state);
      if (runId === undefined || (shown?.runId === runId && shown.cursor === cursor)) return;
      shown = { runId, cursor };
      const askedAt = performance.now();
      set((s) => ({ tables: { ...s.tables, status: 'loading' } }));
      loadTables(runId, cursor).then(
        (answer) => {
          if (answer.superseded) return;
          const snapshot = answer.value;
          set((s) => ({
            tables: {
              status: 'ready',
              snapshot,
              previous: s.tables.snapshot?.runId === snapshot.runId ? s.tables.snapshot : undefined,
              answeredInMs: Math.round(performance.now() - askedAt),
            },
          }));
        },
        (error: unknown) => set((s) => ({ tables: { ...s.tables, status: 'error', error: error instanceof Error ? error.message : String(error) } })),
      );
    });
  }

  function setFaults(faults: readonly ScenarioFault[]): void {
    set({ faults });
    void rerun('prefix');
  }

  return {
    async start(opening?: Opening): Promise<void> {
      applyTheme(initialTheme());
      client.onBootProgress((boot) => set((s) => ({ boot, bootPhases: [...s.bootPhases, boot] })));
      followCursorWithTables();
      const first = entryOf(`${DEFAULT_SCENARIO}.yaml`) ?? catalog[0];
      if (opening) openWithoutRunning(opening);
      else if (first) choose(first);
      try {
        await client.boot();
      } catch (error) {
        set({ boot: { phase: 'failed', elapsedMs: get().boot.elapsedMs, detail: error instanceof Error ? error.message : String(error) } });
        return;
      }
      playback.send({ type: 'READY' });
      await rerun(opening?.step ? { cursor: opening.step } : 'start');
    },

    /** Opens a scenario from outside scenarios/ and runs it, landing on the opening's step. */
    open(opening: Opening): Promise<void> {
      openWithoutRunning(opening);
      return rerun(opening.step ? { cursor: opening.step } : 'start');
    },

    /** Runs plain scenario data beside the page's runs (the ADR export's other strategies). */
    runScenario(scenario: unknown) {
      return client.run(scenario);
    },

    /** Checks scenario text (YAML or JSON) in the worker, where the engine is, without running it. */
    validateText(text: string) {
      return client.validate(text);
    },

    send(event: PlaybackEvent): void {
      playback.send(event);
    },

    /** Seek given in entries of the main run (event log, checker violations). */
    seekMain(cursor: number): void {
      const { compare } = get();
      playback.send({ type: 'SEEK', cursor: compare.enabled && compare.lockStep ? compare.lockStep.cursorForLeft(cursor) : cursor });
    },

    /** Seek given in entries of the compared run (its checker's violations). */
    seekCompared(cursor: number): void {
      const { lockStep: steps } = get().compare;
      if (steps) playback.send({ type: 'SEEK', cursor: steps.cursorForRight(cursor) });
    },

    setSpeed(speed: Speed): void {
      playback.send({ type: 'SPEED', speed });
    },

    chooseScenario(file: string): void {
      const entry = entryOf(file);
      if (!entry) return;
      choose(entry);
      void rerun('start');
    },

    chooseStrategy(strategy: string): void {
      set({ strategy });
      void rerun('time');
    },

    setSeedText(seedText: string): void {
      const parsed = parseSeed(seedText);
      set({ seedText, seedError: parsed.ok ? undefined : parsed.error });
      clearTimeout(seedTimer);
      if (parsed.ok) seedTimer = setTimeout(() => void rerun('time'), SEED_SETTLE_MS);
    },

    setIdempotent(idempotent: boolean): void {
      set({ idempotent });
      void rerun('time');
    },

    inject(fault: Fault): void {
      setFaults([...get().faults, { fault, added: true }]);
    },

    removeFault(index: number): void {
      setFaults(get().faults.filter((_, i) => i !== index));
    },

    bringBrokerUp(): void {
      const state = get();
      const faults = state.faults.map((f) => f.fault);
      const open = openBrokerOutage(faults, virtualNowMs(state));
      if (open < 0) return;
      const ended = bringBrokerUp(faults, open, virtualNowMs(state));
      setFaults(state.faults.map((f, i) => ({ ...f, fault: ended[i]! })));
    },

    setCompare(enabled: boolean): void {
      const cursor = mainCursor(get());
      set((s) => ({ compare: { ...s.compare, enabled } }));
      if (enabled && !get().compare.run) {
        void rerun('prefix');
      } else {
        loadPlayback(cursor);
      }
    },

    chooseCompareStrategy(strategy: string): void {
      set((s) => ({ compare: { ...s.compare, strategy, run: undefined, lockStep: undefined } }));
      if (get().compare.enabled) void rerun('prefix');
    },

    targetActor(actor: string | undefined): void {
      set({ targetActor: actor });
    },

    setQueryText(sql: string): void {
      set((s) => ({ query: { ...s.query, sql } }));
    },

    async runQuery(): Promise<void> {
      const state = get();
      if (!state.run) return;
      const cursor = mainCursor(state);
      set((s) => ({ query: { ...s.query, running: true } }));
      try {
        const outcome = await client.query(state.run.runId, cursor, state.query.sql);
        set((s) => ({ query: { ...s.query, running: false, outcome, atCursor: cursor } }));
      } catch (error) {
        set((s) => ({ query: { ...s.query, running: false, outcome: { ok: false, error: `SQL: ${error instanceof Error ? error.message : String(error)}` } } }));
      }
    },

    /** The scenario exactly as it runs now (faults added on the page included), as YAML. */
    scenarioAsYaml(): string {
      const composed = compose(get().strategy, get());
      return composed ? toYaml(composed.input, { lineWidth: 100 }) : (entryOf(get().scenarioFile)?.text ?? '');
    },

    setTheme(theme: Theme): void {
      applyTheme(theme);
      try {
        localStorage.setItem(THEME_KEY, theme);
      } catch {
        // Private windows may refuse storage; the toggle still works for this visit.
      }
    },

    setHelpOpen(helpOpen: boolean): void {
      set({ helpOpen });
    },

    selectToken(selectedToken: LabState['selectedToken']): void {
      set({ selectedToken });
    },
  };

  function choose(entry: CatalogEntry): void {
    const data = entry.data;
    const consumers = data?.consumers as { idempotent?: unknown } | undefined;
    set({
      scenarioFile: entry.file,
      strategy: entry.strategy || get().strategy,
      seedText: data && typeof data.seed === 'number' ? String(data.seed) : get().seedText,
      seedError: undefined,
      idempotent: consumers?.idempotent === true,
      faults: faultsOfFile(data).map((fault) => ({ fault, added: false })),
      problems: entry.problem ? [{ field: '(file)', message: entry.problem }] : [],
      compare: { ...get().compare, run: undefined, lockStep: undefined },
    });
  }

  function openWithoutRunning({ entry, compare }: Opening): void {
    openedEntries.set(entry.file, entry);
    choose(entry);
    if (compare) set((s) => ({ compare: { ...s.compare, enabled: true, strategy: compare } }));
  }

  function applyTheme(theme: Theme): void {
    document.documentElement.dataset.theme = theme;
    set({ theme });
  }
}

function initialTheme(): Theme {
  try {
    const saved = localStorage.getItem(THEME_KEY);
    if (saved === 'light' || saved === 'dark') return saved;
  } catch {
    // No storage: fall through to the system preference.
  }
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export type Controller = ReturnType<typeof createController>;
