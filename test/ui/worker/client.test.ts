import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunResult } from '../../../src/engine/run';
import { EngineClient, QUERY_TIMEOUT_MS } from '../../../src/ui/worker/client';
import type { RequestMessage, WorkerMessage } from '../../../src/ui/worker/protocol';

/** A stand-in worker that answers the way the engine worker does, and forgets everything when replaced. */
class FakeWorker {
  onmessage: ((event: MessageEvent<WorkerMessage>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  readonly received: RequestMessage[] = [];
  readonly knownRuns = new Set<number>();
  terminated = false;
  hangOnQuery = false;

  postMessage(request: RequestMessage): void {
    this.received.push(request);
    const answer = (value: unknown) => this.reply({ kind: 'answer', id: request.id, value });
    switch (request.type) {
      case 'boot':
        this.reply({ kind: 'boot-progress', progress: { phase: 'ready', elapsedMs: 5 } });
        return answer({ phase: 'ready', elapsedMs: 5 });
      case 'run':
        this.knownRuns.add(1);
        return answer({ ok: true, runId: 1, result: { trace: [] } as unknown as RunResult });
      case 'adopt':
        this.knownRuns.add(request.runId);
        return answer(null);
      case 'tables':
        if (!this.knownRuns.has(request.runId)) return this.reply({ kind: 'failure', id: request.id, error: 'unknown run', unknownRun: true });
        return answer({ runId: request.runId, cursor: request.cursor });
      case 'query':
        if (this.hangOnQuery) return;
        return answer({ ok: true, columns: [], rows: [], rowCount: 0, elapsedMs: 1 });
      default:
        return answer(null);
    }
  }

  terminate(): void {
    this.terminated = true;
  }

  private reply(message: WorkerMessage): void {
    queueMicrotask(() => this.onmessage?.({ data: message } as MessageEvent<WorkerMessage>));
  }
}

function clientWithFakes() {
  const workers: FakeWorker[] = [];
  const client = new EngineClient(() => {
    const worker = new FakeWorker();
    workers.push(worker);
    return worker as unknown as Worker;
  }, 'http://example.test/pglite-datadir.tar.gz');
  return { client, workers };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('engine client', () => {
  it('boots once and reports the boot progress', async () => {
    const { client, workers } = clientWithFakes();
    const phases: string[] = [];
    client.onBootProgress((p) => phases.push(p.phase));
    await Promise.all([client.boot(), client.boot()]);
    expect(workers[0]!.received.filter((r) => r.type === 'boot')).toHaveLength(1);
    expect(phases).toEqual(['ready']);
  });

  it('a query that never returns is stopped: the worker is replaced, and the new one is handed the run it does not know', async () => {
    vi.useFakeTimers();
    const { client, workers } = clientWithFakes();
    const outcome = await client.run({});
    expect(outcome.ok).toBe(true);
    workers[0]!.hangOnQuery = true;
    const query = client.query(1, 0, 'select pg_sleep(100)');
    await vi.advanceTimersByTimeAsync(QUERY_TIMEOUT_MS + 1);
    await expect(query).resolves.toMatchObject({ ok: false, error: expect.stringMatching(/^SQL: the query ran for more than 8 s/) });
    expect(workers[0]!.terminated).toBe(true);
    expect(workers).toHaveLength(2);
    vi.useRealTimers();
    await expect(client.tables(1, 3)).resolves.toMatchObject({ runId: 1, cursor: 3 });
    expect(workers[1]!.received.map((r) => r.type)).toEqual(['boot', 'tables', 'adopt', 'tables']);
  });
});
