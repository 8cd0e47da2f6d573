import type { TraceEntry } from '../../../sim/trace';

/**
 * Two runs in lock-step: one cursor over both traces merged by virtual time (ties go to the
 * left run). Cursor k shows each run with the entries it had reached by the k-th merged entry,
 * so both sides always show the same virtual moment and both reach their own end.
 */
export interface LockStep {
  readonly length: number;
  /** Per side, how many of its entries are applied at a merged cursor. */
  cursorsAt(cursor: number): readonly [number, number];
  /** The merged cursor that shows the left run at `leftCursor` (for seeking from one side). */
  cursorForLeft(leftCursor: number): number;
  cursorForRight(rightCursor: number): number;
}

export function lockStep(left: readonly TraceEntry[], right: readonly TraceEntry[]): LockStep {
  const length = left.length + right.length;
  // leftBefore[k]: how many left entries are among the first k merged ones.
  const leftBefore = new Int32Array(length + 1);
  let l = 0;
  let r = 0;
  for (let k = 0; k < length; k++) {
    const takeLeft = r >= right.length || (l < left.length && left[l]!.t <= right[r]!.t);
    if (takeLeft) l++;
    else r++;
    leftBefore[k + 1] = l;
  }
  const clamp = (cursor: number) => Math.max(0, Math.min(length, cursor));
  return {
    length,
    cursorsAt(cursor) {
      const k = clamp(cursor);
      const applied = leftBefore[k]!;
      return [applied, k - applied];
    },
    cursorForLeft: (leftCursor) => firstCursorWith((k) => leftBefore[k]!, leftCursor),
    cursorForRight: (rightCursor) => firstCursorWith((k) => k - leftBefore[k]!, rightCursor),
  };

  /** The first merged cursor at which a side has `applied` entries (both counts only grow with k). */
  function firstCursorWith(appliedAt: (k: number) => number, applied: number): number {
    let lo = 0;
    let hi = length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (appliedAt(mid) < applied) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
