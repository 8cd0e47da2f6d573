/// <reference lib="webworker" />
import { sqlErrorMessage } from '../../infra/database';
import { parseScenarioText } from '../../scenario/load';
import { bootPostgresInBrowser } from './boot';
import { EngineSession, UnknownRunError } from './engine-session';
import type { BootPhase, BootProgress, RequestMessage, WorkerMessage } from './protocol';

/**
 * The engine's home in the browser: Postgres, simulation and replay run here, so the page's
 * main thread only draws. This file only translates messages; EngineSession does the work.
 */
declare const self: DedicatedWorkerGlobalScope;

const bootStarted = performance.now();
let session: Promise<{ engine: EngineSession; ready: BootProgress }> | undefined;

const post = (message: WorkerMessage): void => self.postMessage(message);

function progress(phase: BootPhase, detail?: string): BootProgress {
  const report: BootProgress = { phase, elapsedMs: Math.round(performance.now() - bootStarted), ...(detail ? { detail } : {}) };
  post({ kind: 'boot-progress', progress: report });
  return report;
}

async function boot(dataDirUrl: string): Promise<{ engine: EngineSession; ready: BootProgress }> {
  try {
    const pg = await bootPostgresInBrowser(dataDirUrl, progress);
    return { engine: new EngineSession(pg), ready: progress('ready') };
  } catch (error) {
    progress('failed', sqlErrorMessage(error));
    throw error;
  }
}

async function answer(request: RequestMessage): Promise<unknown> {
  if (request.type === 'boot') {
    session ??= boot(request.dataDirUrl);
    return (await session).ready;
  }
  // The loader pulls in the strategies and the engine, which live here rather than on the page.
  if (request.type === 'validate') return parseScenarioText(request.text);
  if (!session) throw new Error('the engine worker was asked to work before it booted');
  const { engine } = await session;
  switch (request.type) {
    case 'run':
      return engine.run(request.scenario);
    case 'adopt':
      engine.adopt(request.runId, request.result);
      return null;
    case 'tables':
      return engine.tables(request.runId, request.cursor);
    case 'query':
      return engine.query(request.runId, request.cursor, request.sql);
    default:
      throw new Error(`unknown request ${JSON.stringify(request)}`);
  }
}

self.onmessage = (event: MessageEvent<RequestMessage>) => {
  const request = event.data;
  answer(request).then(
    (value) => post({ kind: 'answer', id: request.id, value }),
    (error: unknown) =>
      post({ kind: 'failure', id: request.id, error: sqlErrorMessage(error), ...(error instanceof UnknownRunError ? { unknownRun: true } : {}) }),
  );
};
