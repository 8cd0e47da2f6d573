import type { RunResult } from '../../engine/run';
import type { BootProgress, QueryOutcome, RequestMessage, RunId, RunOutcome, TablesSnapshot, WorkerAnswers, WorkerMessage, WorkerRequest } from './protocol';

/** PGlite cannot interrupt a statement (no statement_timeout in WASM): a runaway query costs the worker. */
export const QUERY_TIMEOUT_MS = 8_000;

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; request: WorkerRequest };

export class WorkerRequestError extends Error {
  constructor(message: string, readonly unknownRun = false) {
    super(message);
  }
}

/**
 * The page's typed handle on the engine worker: one promise per request. It keeps every run's
 * result, so when the worker has to be replaced (a query that would not stop) the new one is
 * handed the traces again on demand.
 */
export class EngineClient {
  private worker!: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly results = new Map<RunId, RunResult>();
  private readonly progressListeners = new Set<(progress: BootProgress) => void>();
  private booted: Promise<BootProgress> | undefined;

  constructor(
    private readonly createWorker: () => Worker,
    private readonly dataDirUrl: string,
  ) {
    this.start();
  }

  onBootProgress(listener: (progress: BootProgress) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  boot(): Promise<BootProgress> {
    this.booted ??= this.request({ type: 'boot', dataDirUrl: this.dataDirUrl });
    return this.booted;
  }

  async run(scenario: unknown): Promise<RunOutcome> {
    await this.boot();
    const outcome = await this.request({ type: 'run', scenario });
    if (outcome.ok) this.results.set(outcome.runId, outcome.result);
    return outcome;
  }

  validate(text: string): Promise<WorkerAnswers['validate']> {
    return this.request({ type: 'validate', text });
  }

  tables(runId: RunId, cursor: number): Promise<TablesSnapshot> {
    return this.aboutRun(runId, { type: 'tables', runId, cursor });
  }

  async query(runId: RunId, cursor: number, sql: string): Promise<QueryOutcome> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<QueryOutcome>((resolve) => {
      timer = setTimeout(() => {
        this.restart('the previous query ran too long');
        resolve({ ok: false, error: `SQL: the query ran for more than ${QUERY_TIMEOUT_MS / 1000} s and was stopped (Postgres was restarted; the tables are rebuilt from the trace)` });
      }, QUERY_TIMEOUT_MS);
    });
    try {
      return await Promise.race([this.aboutRun(runId, { type: 'query', runId, cursor, sql }), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  dispose(): void {
    this.worker.terminate();
    this.failAll('the engine was shut down');
  }

  /** A request about a run; a fresh worker that does not know the run is given it, then asked again. */
  private async aboutRun<K extends 'tables' | 'query'>(runId: RunId, request: Extract<WorkerRequest, { type: K }>): Promise<WorkerAnswers[K]> {
    await this.boot();
    try {
      return await this.request(request);
    } catch (error) {
      const result = this.results.get(runId);
      if (!(error instanceof WorkerRequestError && error.unknownRun && result)) throw error;
      await this.request({ type: 'adopt', runId, result });
      return this.request(request);
    }
  }

  private request<K extends WorkerRequest['type']>(request: Extract<WorkerRequest, { type: K }>): Promise<WorkerAnswers[K]> {
    const id = this.nextId++;
    return new Promise<WorkerAnswers[K]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, request });
      this.worker.postMessage({ id, ...request } satisfies RequestMessage);
    });
  }

  private start(): void {
    this.worker = this.createWorker();
    this.worker.onmessage = (event: MessageEvent<WorkerMessage>) => this.receive(event.data);
    this.worker.onerror = (event) => this.failAll(`the engine worker failed: ${event.message}`);
  }

  private receive(message: WorkerMessage): void {
    if (message.kind === 'boot-progress') {
      for (const listener of this.progressListeners) listener(message.progress);
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.kind === 'answer') pending.resolve(message.value);
    else pending.reject(new WorkerRequestError(message.error, message.unknownRun));
  }

  private restart(reason: string): void {
    this.worker.terminate();
    this.failAll(`the engine was restarted: ${reason}`);
    this.booted = undefined;
    this.start();
    void this.boot();
  }

  private failAll(reason: string): void {
    for (const pending of this.pending.values()) pending.reject(new WorkerRequestError(reason));
    this.pending.clear();
  }
}
