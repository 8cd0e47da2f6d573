import type { TraceEntry } from '../../sim/trace';
import { entryActor } from './names';
import { narrate } from './narrate';

export interface LogFilter {
  /** A trace kind, or undefined for every kind. */
  readonly kind?: string | undefined;
  /** An actor as `entryActor` names it, or undefined for everyone. */
  readonly actor?: string | undefined;
  /** Case-insensitive words to find in the entry's sentence, actor or kind. */
  readonly text?: string | undefined;
  /** Keep only entries before this index (the steps already played). */
  readonly before?: number | undefined;
}

/** Narrates entries on demand and remembers them: the log only ever shows a screenful at a time. */
export function sentenceCache(trace: readonly TraceEntry[], strategyId: string): (index: number) => string {
  const sentences = new Map<number, string>();
  return (index) => {
    let sentence = sentences.get(index);
    if (sentence === undefined) {
      const entry = trace[index];
      sentence = entry ? narrate(entry, { strategyId, trace }) : '';
      sentences.set(index, sentence);
    }
    return sentence;
  };
}

/** The indices of the entries the filter keeps, in trace order. */
export function filterTrace(trace: readonly TraceEntry[], filter: LogFilter, sentenceOf: (index: number) => string): number[] {
  const words = (filter.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const end = Math.min(trace.length, filter.before ?? trace.length);
  const kept: number[] = [];
  for (let i = 0; i < end; i++) {
    const entry = trace[i]!;
    if (filter.kind && entry.kind !== filter.kind) continue;
    if (filter.actor && entryActor(entry) !== filter.actor) continue;
    if (words.length > 0) {
      const haystack = `${sentenceOf(i)} ${entryActor(entry)} ${entry.kind}`.toLowerCase();
      if (!words.every((word) => haystack.includes(word))) continue;
    }
    kept.push(i);
  }
  return kept;
}

/** Every actor that appears in the trace, sorted, for the actor filter. */
export function actorsIn(trace: readonly TraceEntry[]): string[] {
  const actors = new Set<string>();
  for (const entry of trace) actors.add(entryActor(entry));
  return [...actors].sort();
}

/** Where entry `index` is among the kept indices (sorted), or -1. */
export function positionOf(kept: readonly number[], index: number): number {
  let low = 0;
  let high = kept.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const value = kept[mid]!;
    if (value === index) return mid;
    if (value < index) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

/** The rows to render for a scroll position: those in view plus a few either side. */
export function visibleRows(scrollTopPx: number, viewportPx: number, rowPx: number, rowCount: number, overscan = 8): { first: number; last: number } {
  const first = Math.max(0, Math.floor(scrollTopPx / rowPx) - overscan);
  const last = Math.min(rowCount - 1, Math.ceil((scrollTopPx + viewportPx) / rowPx) + overscan);
  return { first, last };
}
