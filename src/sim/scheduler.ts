/**
 * Virtual time and the one queue of things that will happen. Tasks run one at a time, in
 * (time, insertion order), so two runs of the same scenario interleave actors identically.
 * A task may be async (a SQL statement on PGlite); the loop awaits it before the next one,
 * which is also what keeps PGlite's single connection from seeing two actors at once.
 */
export type TaskFn = () => void | Promise<void>;

export interface TaskHandle {
  cancel(): void;
  readonly at: number;
}

/**
 * A queued task is its own handle: one object per scheduled task, and no per-task closure
 * (under tsx/esbuild's keepNames an arrow property costs an Object.defineProperty call each).
 */
class Task implements TaskHandle {
  cancelled = false;

  constructor(
    readonly at: number,
    readonly seq: number,
    readonly run: TaskFn,
  ) {}

  cancel(): void {
    this.cancelled = true;
  }
}

export class Scheduler {
  private heap: Task[] = [];
  private seq = 0;
  private nowMs = 0;

  get now(): number {
    return this.nowMs;
  }

  get pending(): number {
    return this.heap.length;
  }

  at(atMs: number, run: TaskFn): TaskHandle {
    const task = new Task(Math.max(atMs, this.nowMs), this.seq++, run);
    this.push(task);
    return task;
  }

  after(delayMs: number, run: TaskFn): TaskHandle {
    return this.at(this.nowMs + Math.max(0, delayMs), run);
  }

  /** Time of the next live task, or undefined when nothing is scheduled. */
  peekTime(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.at;
  }

  /** Runs the next live task; false when there is none. */
  async runNext(): Promise<boolean> {
    this.dropCancelled();
    const task = this.pop();
    if (!task) return false;
    this.nowMs = task.at;
    await task.run();
    return true;
  }

  private dropCancelled(): void {
    while (this.heap[0]?.cancelled) this.pop();
  }

  private less(a: Task, b: Task): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(task: Task): void {
    const heap = this.heap;
    heap.push(task);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): Task | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < heap.length && this.less(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && this.less(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  }
}
