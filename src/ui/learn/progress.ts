import { learnOrder } from '../../scenario/learn-path';

/** Which Learn scenarios were played to the end and revealed; kept in the browser and exportable as a file. */
export interface LearnProgress {
  readonly version: 1;
  readonly completed: readonly string[];
}

export const PROGRESS_KIND = 'outbox-lab learn progress';
const STORAGE_KEY = 'outbox-lab.learn-progress';
const MAX_FILE_CHARS = 100_000;

export const emptyProgress = (): LearnProgress => ({ version: 1, completed: [] });

export type ProgressParse = { readonly ok: true; readonly progress: LearnProgress } | { readonly ok: false; readonly message: string };

/** Reads a progress file; anything else is refused with a sentence a learner understands. */
export function parseProgress(text: string, known: readonly string[] = learnOrder()): ProgressParse {
  const fail = (message: string): ProgressParse => ({ ok: false, message: `This is not a progress file: ${message}. Your progress is unchanged.` });
  if (text.length > MAX_FILE_CHARS) return fail('it is too large');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return fail('it is not JSON');
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return fail('it holds no progress object');
  const { kind, version, completed } = data as Record<string, unknown>;
  if (kind !== PROGRESS_KIND) return fail(`"kind" must be "${PROGRESS_KIND}"`);
  if (version !== 1) return fail('"version" must be 1');
  if (!Array.isArray(completed) || !completed.every((name) => typeof name === 'string')) return fail('"completed" must be a list of scenario names');
  const unknown = completed.filter((name) => !known.includes(name));
  if (unknown.length > 0) return fail(`it names scenarios that are not on the Learn path (${unknown.slice(0, 3).join(', ')})`);
  return { ok: true, progress: { version: 1, completed: known.filter((name) => completed.includes(name)) } };
}

export function progressFile(progress: LearnProgress): string {
  return `${JSON.stringify({ kind: PROGRESS_KIND, version: 1, completed: progress.completed }, null, 2)}\n`;
}

export function withCompleted(progress: LearnProgress, name: string): LearnProgress {
  return progress.completed.includes(name) ? progress : { version: 1, completed: [...progress.completed, name] };
}

export function loadProgress(storage: Pick<Storage, 'getItem'> | undefined = safeStorage()): LearnProgress {
  const saved = storage?.getItem(STORAGE_KEY);
  if (!saved) return emptyProgress();
  const parsed = parseProgress(saved);
  return parsed.ok ? parsed.progress : emptyProgress();
}

export function saveProgress(progress: LearnProgress, storage: Pick<Storage, 'setItem'> | undefined = safeStorage()): void {
  try {
    storage?.setItem(STORAGE_KEY, progressFile(progress));
  } catch {
    // A full or refused storage keeps the progress for this visit only.
  }
}

function safeStorage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}
