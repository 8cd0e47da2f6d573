import type { SimClock } from './lifecycle';
import { CrashSignal } from './crash';
import { startLifecycle } from './lifecycle';
import { createRandom, type Random } from './random';
import { Scheduler, type TaskHandle } from './scheduler';
import { Trace, type ActorActivity, type TraceEntry } from './trace';
import type { ActorSpec, Process, Runtime, Yield } from '../world/runtime';

// The vocabulary of processes belongs to the Runtime port; re-exported for the kernel's own users.
export { point, sleep, type ActorSpec, type Process, type Yield } from '../world/runtime';

export interface KernelLimits {
  /** Steps (process resumptions) after which the run stops with reason `step-limit`. */
  readonly maxSteps: number;
  /** Virtual ms after which the run stops with reason `time-limit`. */
  readonly maxVirtualMs: number;
}

export type CrashDecision = (actor: string, point: string) => boolean;

interface ProcessRecord {
  readonly actor: string;
  readonly gen: Process;
  readonly epoch: number;
  costMs: number;
  idle: boolean;
  wakeable: boolean;
  idleUntilWoken: boolean;
  wait?: TaskHandle;
}

interface ActorRecord {
  readonly spec: ActorSpec;
  epoch: number;
  up: boolean;
  activity?: ActorActivity;
  lifecycle: ReturnType<typeof startLifecycle>;
}

/** Reads and bookkeeping leave the world as it was; everything else may create work for someone. */
function changesTheWorld(entry: TraceEntry): boolean {
  switch (entry.kind) {
    case 'activity':
    case 'in-doubt':
    case 'participant-unreachable':
    case 'run-end':
    case 'verdict':
    case 'sql-error':
      return false;
    case 'sql':
      if (/^(begin|commit|rollback)\b/i.test(entry.sql)) return false;
      if (/^select\b/i.test(entry.sql)) return /pg_notify|for update/i.test(entry.sql);
      // A write that matched no row (an empty claim, a lease someone else holds) changed nothing.
      return entry.rows > 0;
    default:
      return true;
  }
}

export type RunEndReason = 'quiesced' | 'step-limit' | 'time-limit';

/** The simulator's Runtime: one virtual clock, one scheduler, one step at a time. */
export class Kernel implements Runtime {
  readonly scheduler = new Scheduler();
  readonly trace = new Trace(() => this.scheduler.now);
  readonly random: Random;
  private readonly actors = new Map<string, ActorRecord>();
  private processes = new Set<ProcessRecord>();
  private current: ProcessRecord | undefined;
  private keepAlive = 0;
  private steps = 0;
  private quietChecks: Array<() => boolean> = [];
  private crashDecision: CrashDecision = () => false;

  constructor(seed: number, private readonly limits: KernelLimits) {
    this.random = createRandom(seed);
    this.trace.subscribe((entry) => {
      if (changesTheWorld(entry)) this.markIdleProcessesStale();
    });
  }

  get now(): number {
    return this.scheduler.now;
  }

  get stepCount(): number {
    return this.steps;
  }

  /** The fault plan decides, at every crash point reached, whether the actor dies there. */
  decideCrashesWith(decision: CrashDecision): void {
    this.crashDecision = decision;
  }

  /** A condition outside the processes that must hold before the run may end (e.g. broker drained). */
  addQuietCheck(check: () => boolean): void {
    this.quietChecks.push(check);
  }

  addActor(spec: ActorSpec): void {
    if (this.actors.has(spec.id)) throw new Error(`actor '${spec.id}' registered twice`);
    const record: ActorRecord = {
      spec,
      epoch: 0,
      up: true,
      lifecycle: startLifecycle({
        restartDelayMs: spec.restartDelayMs,
        clock: this.xstateClock,
        onRestarted: () => {
          record.up = true;
          record.activity = undefined;
          this.trace.append({ kind: 'restart', actor: spec.id });
          spec.onStart?.();
        },
      }),
    };
    this.actors.set(spec.id, record);
  }

  /** Starts every registered actor; call once, after the world is wired. */
  start(): void {
    for (const record of this.actors.values()) record.spec.onStart?.();
  }

  isUp(actor: string): boolean {
    return this.actor(actor).up;
  }

  /** Runs a process for an actor from the current instant on; false if the actor is down. */
  spawn(actor: string, gen: Process): boolean {
    const record = this.actor(actor);
    if (!record.up) return false;
    const process: ProcessRecord = { actor, gen, epoch: record.epoch, costMs: 0, idle: false, wakeable: false, idleUntilWoken: false };
    this.processes.add(process);
    process.wait = this.scheduler.after(0, () => this.resume(process));
    return true;
  }

  /** Virtual time the running step costs; charged before the process's next step. */
  spend(ms: number): void {
    if (this.current) this.current.costMs += ms;
  }

  /**
   * A crash point in the middle of a step. Throws CrashSignal when the fault plan says the
   * running actor dies here; callers let it propagate so open transactions roll back.
   */
  pointWithinStep(name: string): void {
    const process = this.current;
    if (process && this.crashDecision(process.actor, name)) throw new CrashSignal(name);
  }

  /** Cuts short the wakeable waits of an actor's processes (a NOTIFY, a message pushed). */
  wake(actor: string): void {
    for (const process of this.processes) {
      if (process.actor !== actor || !process.wakeable || !process.wait) continue;
      process.wait.cancel();
      process.wakeable = false;
      process.idle = false;
      process.idleUntilWoken = false;
      process.wait = this.scheduler.after(0, () => this.resume(process));
    }
  }

  /**
   * Kills an actor where it stands: its processes and their memory are dropped, what it
   * committed or had acknowledged stays. The lifecycle brings it back after its delay.
   */
  crash(actor: string, point: string, downMs?: number): void {
    const record = this.actor(actor);
    if (!record.up) return;
    record.up = false;
    record.epoch++;
    for (const process of this.processes) {
      if (process.actor !== actor) continue;
      process.wait?.cancel();
      this.processes.delete(process);
    }
    this.trace.append({ kind: 'crash', actor, point });
    record.spec.onCrash?.();
    record.lifecycle.crash(downMs);
  }

  /**
   * A timer outside any actor. `keepsAlive` marks work the run must wait for (a command not
   * yet issued, a fault window not yet closed, a message waiting for redelivery).
   */
  at(atMs: number, run: () => void | Promise<void>, keepsAlive = true): TaskHandle {
    if (keepsAlive) this.keepAlive++;
    let done = false;
    const handle = this.scheduler.at(atMs, async () => {
      done = true;
      if (keepsAlive) this.keepAlive--;
      await run();
    });
    return {
      at: handle.at,
      cancel: () => {
        if (done) return;
        done = true;
        if (keepsAlive) this.keepAlive--;
        handle.cancel();
      },
    };
  }

  async run(): Promise<RunEndReason> {
    for (;;) {
      if (this.isQuiet()) return this.end('quiesced');
      if (this.steps >= this.limits.maxSteps) return this.end('step-limit');
      const next = this.scheduler.peekTime();
      if (next === undefined) return this.end('quiesced');
      if (next > this.limits.maxVirtualMs) return this.end('time-limit');
      await this.scheduler.runNext();
    }
  }

  private end(reason: RunEndReason): RunEndReason {
    this.trace.append({ kind: 'run-end', reason, steps: this.steps });
    return reason;
  }

  private isQuiet(): boolean {
    if (this.keepAlive > 0) return false;
    for (const record of this.actors.values()) if (!record.up) return false;
    for (const process of this.processes) if (!process.idle) return false;
    return this.quietChecks.every((check) => check());
  }

  /**
   * An idle process said "nothing to do" about the world as it was. Once the world changes
   * (a commit, a publish, an ack), that answer is stale: the run may not end until each idle
   * process has looked again. The running process is exempt: its own yield says what it saw.
   */
  private markIdleProcessesStale(): void {
    for (const process of this.processes) if (process !== this.current && !process.idleUntilWoken) process.idle = false;
  }

  private async resume(process: ProcessRecord): Promise<void> {
    const record = this.actor(process.actor);
    if (process.epoch !== record.epoch) return;
    process.wait = undefined;
    process.costMs = 0;
    process.idle = false;
    process.wakeable = false;
    process.idleUntilWoken = false;
    this.current = process;
    let result: IteratorResult<Yield, void>;
    try {
      result = await process.gen.next();
    } catch (error) {
      if (error instanceof CrashSignal) {
        this.current = undefined;
        this.steps++;
        this.crash(process.actor, error.point);
        return;
      }
      throw new Error(`actor '${process.actor}' failed at virtual ${this.now} ms: ${String(error)}`, { cause: error });
    } finally {
      this.current = undefined;
    }
    this.steps++;
    if (process.epoch !== record.epoch) return;
    if (result.done) {
      this.processes.delete(process);
      return;
    }
    const step = result.value;
    if (step.kind === 'point') {
      if (this.crashDecision(process.actor, step.point)) {
        this.crash(process.actor, step.point);
        return;
      }
      process.wait = this.scheduler.after(process.costMs, () => this.resume(process));
      return;
    }
    if (record.activity !== step.activity) {
      record.activity = step.activity;
      this.trace.append({ kind: 'activity', actor: process.actor, activity: step.activity });
    }
    process.idle = step.idle;
    process.wakeable = step.wakeable;
    process.idleUntilWoken = step.idleUntilWoken;
    process.wait = this.scheduler.after(process.costMs + step.ms, () => this.resume(process));
  }

  private actor(id: string): ActorRecord {
    const record = this.actors.get(id);
    if (!record) throw new Error(`no actor '${id}'`);
    return record;
  }

  private readonly xstateClock: SimClock = {
    setTimeout: (fn, timeout) => this.at(this.now + timeout, () => fn(), true),
    clearTimeout: (handle) => (handle as TaskHandle).cancel(),
  };
}
