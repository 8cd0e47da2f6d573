import { idbGet, idbPut } from './idb';

/** The editor's text as last typed, kept so a reload or a closed tab loses nothing. */
export interface Draft {
  readonly id: 'current';
  readonly text: string;
  readonly savedId?: string;
  readonly updatedAt: number;
}

const DRAFT_SETTLE_MS = 250;
let timer: ReturnType<typeof setTimeout> | undefined;
let pending: Draft | undefined;

export const loadDraft = () => idbGet<Draft>('drafts', 'current').catch(() => undefined);

export function keepDraft(text: string, savedId: string | undefined): void {
  pending = { id: 'current', text, ...(savedId ? { savedId } : {}), updatedAt: Date.now() };
  clearTimeout(timer);
  timer = setTimeout(() => void flushDraft(), DRAFT_SETTLE_MS);
}

export async function flushDraft(): Promise<void> {
  clearTimeout(timer);
  const draft = pending;
  pending = undefined;
  if (draft) await idbPut('drafts', draft).catch(() => undefined);
}

if (typeof window !== 'undefined') {
  // A tab closed within the settle time still keeps what was typed.
  window.addEventListener('pagehide', () => void flushDraft());
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && void flushDraft());
}
