import type { EntryOf, TraceEntry } from '../../sim/trace';
import { actorLabel } from './names';
import { QueueModel } from './queues';

export interface FaultWindow {
  readonly from: number;
  readonly to: number;
  readonly label: string;
}

export interface Series {
  /** Virtual ms of each sample: one per distinct instant of the trace, after everything at that instant. */
  readonly t: number[];
  /** Committed events not yet published or, for strategies that call the services themselves, effects owed and not yet performed. */
  readonly backlog: number[];
  /** What `backlog` counts, for the chart's legend. */
  readonly backlogLabel: string;
  /** Ready plus unacknowledged messages of each queue, aligned with `t`. */
  readonly queueDepth: Record<string, number[]>;
  /** One point per effect performed for the first time: when, and how long after the commit that owed it. */
  readonly latency: { t: number[]; ms: number[] };
  /** Broker outages, failing services, lost confirms: from their fault entries; one still open at the end runs to the last instant. */
  readonly faultWindows: FaultWindow[];
  /** Instants at which an actor crashed. */
  readonly crashes: Array<{ t: number; label: string }>;
}

/** Strategies whose actors call the services themselves: their backlog is the effects still owed. */
const CALLS_SERVICES_ITSELF = new Set(['poller', 'process-manager']);
/** Faults whose on/off span is a period of trouble (a crash fault's span only says when it may fire). */
const WINDOWED_FAULTS = new Set(['broker-down', 'consumer-error', 'lose-publish-confirm']);

const cache = new WeakMap<readonly TraceEntry[], { length: number; series: Series }>();

/** Time series for the charts, from the whole trace; pure, and cached per trace array and length. */
export function seriesFrom(trace: readonly TraceEntry[]): Series {
  const cached = cache.get(trace);
  if (cached && cached.length === trace.length) return cached.series;
  const series = buildSeries(trace);
  cache.set(trace, { length: trace.length, series });
  return series;
}

function buildSeries(trace: readonly TraceEntry[]): Series {
  const start = trace[0]?.kind === 'run-start' ? trace[0] : undefined;
  const owesEffects = CALLS_SERVICES_ITSELF.has(start?.strategy ?? '');
  const backlog = new BacklogCounter(owesEffects);
  const queues = new QueueModel();
  const latency = new LatencyCollector();
  const faults = new FaultWindows();
  const crashes: Series['crashes'] = [];
  const samples = new Sampler();

  trace.forEach((entry, index) => {
    backlog.apply(entry);
    queues.apply(entry);
    latency.apply(entry);
    faults.apply(entry);
    if (entry.kind === 'crash') crashes.push({ t: entry.t, label: `${actorLabel(entry.actor)} crashed at ${entry.point}` });
    const next = trace[index + 1];
    if (!next || next.t !== entry.t) samples.take(entry.t, backlog.size, queues);
  });

  return {
    t: samples.t,
    backlog: samples.backlog,
    backlogLabel: owesEffects ? 'effects owed' : 'unpublished events',
    queueDepth: samples.queueDepth,
    latency: latency.points,
    faultWindows: faults.close(trace[trace.length - 1]?.t ?? 0),
    crashes,
  };
}

/** Index of the last sample at or before `virtualMs` (-1 before the first): where the charts' data stops for a cursor. */
export function sampleIndexAt(t: readonly number[], virtualMs: number): number {
  let low = 0;
  let high = t.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (t[mid]! <= virtualMs) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}

class Sampler {
  readonly t: number[] = [];
  readonly backlog: number[] = [];
  readonly queueDepth: Record<string, number[]> = {};

  take(atMs: number, backlog: number, queues: QueueModel): void {
    const index = this.t.length;
    this.t.push(atMs);
    this.backlog.push(backlog);
    for (const queue of queues.queues.keys()) {
      // A queue first seen now was empty at every earlier sample.
      const depths = (this.queueDepth[queue] ??= new Array<number>(index).fill(0));
      depths.push(queues.depth(queue));
    }
  }
}

class BacklogCounter {
  private readonly waiting = new Set<string>();
  private readonly published = new Set<string>();

  constructor(private readonly owesEffects: boolean) {}

  get size(): number {
    return this.waiting.size;
  }

  apply(entry: TraceEntry): void {
    if (entry.kind === 'commit') {
      if (this.owesEffects) for (const key of entry.expects) this.waiting.add(key);
      else for (const event of entry.events) if (!this.published.has(event.id)) this.waiting.add(event.id);
    } else if (entry.kind === 'effect' && this.owesEffects) {
      this.waiting.delete(entry.key);
    } else if (entry.kind === 'publish' && !this.owesEffects && (entry.outcome === 'confirmed' || entry.outcome === 'confirm-lost')) {
      // Publish-then-commit publishes before the commit: remember it so the commit adds nothing.
      this.published.add(entry.messageId);
      this.waiting.delete(entry.messageId);
    }
  }
}

/** Commit → effect latency, counted as the checker counts it: first performance of each owed effect. */
class LatencyCollector {
  readonly points = { t: [] as number[], ms: [] as number[] };
  private readonly promisedAt = new Map<string, number>();
  private readonly committedEvents = new Set<string>();
  private readonly performed = new Set<string>();

  apply(entry: TraceEntry): void {
    if (entry.kind === 'commit') {
      for (const event of entry.events) this.committedEvents.add(event.id);
      for (const key of entry.expects) this.promisedAt.set(key, entry.t);
    } else if (entry.kind === 'effect') {
      if (this.performed.has(entry.key)) return;
      this.performed.add(entry.key);
      const promisedAt = this.promisedAt.get(entry.key);
      if (promisedAt === undefined || !this.committedEvents.has(entry.eventId)) return;
      this.points.t.push(entry.t);
      this.points.ms.push(entry.t - promisedAt);
    }
  }
}

class FaultWindows {
  private readonly open = new Map<string, number>();
  private readonly closed: FaultWindow[] = [];

  apply(entry: TraceEntry): void {
    if (entry.kind !== 'fault' || !WINDOWED_FAULTS.has(entry.fault)) return;
    const key = windowKey(entry);
    if (entry.state === 'on') {
      if (!this.open.has(key)) this.open.set(key, entry.t);
      return;
    }
    const from = this.open.get(key);
    if (from === undefined) return;
    this.open.delete(key);
    this.closed.push({ from, to: entry.t, label: entry.detail });
  }

  close(endMs: number): FaultWindow[] {
    const stillOpen = [...this.open].map(([key, from]) => ({ from, to: Math.max(from, endMs), label: key.slice(key.indexOf('|') + 1) }));
    return [...this.closed, ...stillOpen].sort((a, b) => a.from - b.from);
  }
}

const windowKey = (entry: EntryOf<'fault'>): string => `${entry.fault}|${entry.detail}`;
