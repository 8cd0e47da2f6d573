import { create } from 'zustand';
import type { RunResult } from '../engine/run';
import type { ScenarioProblem } from '../scenario/load';
import type { Fault } from '../scenario/schema';
import type { Token } from './derive/diagram';
import type { LockStep } from './app/compare/timeline';
import type { PlaybackState, Speed } from './playback';
import type { BootProgress, QueryOutcome, RunId, TablesSnapshot } from './worker/protocol';

/** One finished run the page can play: what the worker answered. */
export interface RunView {
  readonly runId: RunId;
  readonly result: RunResult;
  /** Faults the composition left out for this run's strategy, in words. */
  readonly notes: readonly string[];
}

export type Theme = 'light' | 'dark';

/** A fault of the scenario that runs; `added` ones were injected while watching. */
export interface ScenarioFault {
  readonly fault: Fault;
  readonly added: boolean;
}

export interface TablesView {
  readonly status: 'idle' | 'loading' | 'ready' | 'error';
  readonly snapshot?: TablesSnapshot;
  /** The snapshot shown before this one, for highlighting what the step changed. */
  readonly previous?: TablesSnapshot;
  readonly error?: string;
  /** Wall ms from asking to showing, for the scrub-time figure. */
  readonly answeredInMs?: number;
}

export interface LabState {
  readonly boot: BootProgress;
  /** Every boot phase as it was reached: the real progress the page shows (and the boot figure tests read). */
  readonly bootPhases: readonly BootProgress[];
  /** The file in scenarios/ the run starts from. */
  readonly scenarioFile: string;
  readonly strategy: string;
  /** What is typed in the seed field, valid or not: nothing the user typed is thrown away. */
  readonly seedText: string;
  readonly seedError?: string;
  readonly idempotent: boolean;
  /** The file's faults, then those injected while watching: recorded, so the run stays reproducible. */
  readonly faults: readonly ScenarioFault[];
  readonly running: boolean;
  /** Why the composed scenario cannot run, field by field. */
  readonly problems: readonly ScenarioProblem[];
  readonly runError?: string;
  readonly run?: RunView;
  readonly compare: { readonly enabled: boolean; readonly strategy: string; readonly run?: RunView; readonly lockStep?: LockStep };
  readonly playback: { readonly state: PlaybackState; readonly cursor: number; readonly length: number; readonly speed: Speed };
  readonly tables: TablesView;
  readonly query: { readonly sql: string; readonly running: boolean; readonly outcome?: QueryOutcome; readonly atCursor?: number };
  readonly theme: Theme;
  readonly helpOpen: boolean;
  readonly selectedToken?: Token;
  /** The actor the fault toolbar will crash (picked there or by clicking a node). */
  readonly targetActor?: string;
}

export const useLab = create<LabState>()(() => ({
  boot: { phase: 'loading Postgres (WASM)', elapsedMs: 0 },
  bootPhases: [],
  scenarioFile: '',
  strategy: 'direct-publish',
  seedText: '',
  idempotent: false,
  faults: [],
  running: false,
  problems: [],
  compare: { enabled: false, strategy: 'outbox' },
  playback: { state: 'booting', cursor: 0, length: 0, speed: 1 },
  tables: { status: 'idle' },
  query: { sql: 'select * from app.applications', running: false },
  theme: 'light',
  helpOpen: false,
}));

/** Entries of the main run applied at the playback cursor (in compare mode the cursor walks both runs). */
export function mainCursor(state: LabState): number {
  const { cursor } = state.playback;
  return state.compare.enabled && state.compare.lockStep ? state.compare.lockStep.cursorsAt(cursor)[0] : cursor;
}

/** Entries of the compared run applied at the playback cursor. */
export function compareCursor(state: LabState): number {
  const { cursor } = state.playback;
  return state.compare.lockStep ? state.compare.lockStep.cursorsAt(cursor)[1] : 0;
}

/** The virtual ms the main run has reached at the cursor: where injected faults start. */
export function virtualNowMs(state: LabState): number {
  const trace = state.run?.result.trace;
  const cursor = mainCursor(state);
  return trace && cursor > 0 ? (trace[Math.min(cursor, trace.length) - 1]?.t ?? 0) : 0;
}
