/**
 * `npm run bench` (second part): two figures of the page, measured in headless Chromium on the
 * built site — how long until it is ready (Postgres booted in the worker, the first scenario
 * run and drawn), and how many frames per second it paints while about 1,000 messages are in
 * flight on the diagram. Printed, never asserted.
 *
 *   npm run bench:page [-- --loads N] [--seconds N]
 */
import { execFileSync, spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { runScenario } from '../src/engine/run';
import { bootPostgres } from '../src/infra/database';
import { validateScenario } from '../src/scenario/load';
import { encodePermalink, permalinkUrl } from '../src/scenario/permalink';
import { seriesFrom } from '../src/ui/derive/series';

const { values: args } = parseArgs({ options: { loads: { type: 'string', default: '3' }, seconds: { type: 'string', default: '4' } } });
const PORT = Number(process.env.BENCH_PORT ?? 4183);
const URL_ROOT = `http://localhost:${PORT}/`;

/** Slow consumers under a burst: queues fill up, so most published messages are in flight at once. */
const BUSY_SCENARIO = {
  name: 'bench-messages-in-flight',
  title: 'Many messages in flight',
  description: 'A burst of commands against slow consumers, for measuring frame rate.',
  strategy: 'direct-publish',
  seed: 1,
  workload: { commands: 420, interval: 2 },
  consumers: { idempotent: false, latencyMs: { email: 400, entitlement: 400, analytics: 400 } },
  expect: { lost: 0 },
};

async function main(): Promise<void> {
  const { cursor, inFlight } = await busiestPoint();
  console.log(`building the site…`);
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  // Its own process group, so stopping it stops vite and not only the npx wrapper.
  const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort'], { stdio: 'ignore', detached: true });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    await waitForServer();
    const readyMs: number[] = [];
    for (let i = 0; i < Number(args.loads); i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
      const page = await context.newPage();
      readyMs.push(await timeToReady(page));
      if (i < Number(args.loads) - 1) await context.close();
      else {
        const fps = await framesWhileBusy(page, cursor, Number(args.seconds));
        report(readyMs, fps, inFlight);
      }
    }
  } finally {
    await browser.close();
    if (server.pid) process.kill(-server.pid);
  }
}

/** Where in the run the queues hold the most messages (the trace is the same in Node and the page). */
async function busiestPoint(): Promise<{ cursor: number; inFlight: number }> {
  const loaded = validateScenario(BUSY_SCENARIO);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  const pg = await bootPostgres();
  const run = await runScenario(pg, loaded.scenario);
  await pg.close();
  const series = seriesFrom(run.trace);
  let best = { at: 0, depth: 0 };
  series.t.forEach((t, i) => {
    const depth = Object.values(series.queueDepth).reduce((sum, depths) => sum + (depths[i] ?? 0), 0);
    if (depth > best.depth) best = { at: t, depth };
  });
  const cursor = run.trace.findIndex((e) => e.t >= best.at);
  return { cursor: cursor < 0 ? run.trace.length : cursor, inFlight: best.depth };
}

async function waitForServer(): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      if ((await fetch(URL_ROOT)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`vite preview did not start on ${URL_ROOT}`);
}

async function timeToReady(page: Page): Promise<number> {
  const started = performance.now();
  await page.goto(URL_ROOT);
  await page.waitForSelector('[data-testid="db-status"][data-phase="ready"]', { timeout: 60_000 });
  await page.waitForSelector('[data-testid="trace-hash"]', { timeout: 60_000 });
  await page.waitForSelector('.app[data-running="false"]', { timeout: 60_000 });
  return Math.round(performance.now() - started);
}

async function framesWhileBusy(page: Page, cursor: number, seconds: number): Promise<{ fps: number; tokens: number }> {
  // Opened as a permalink: the same data a shared link carries, validated by the page.
  const loaded = validateScenario(BUSY_SCENARIO);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  await page.goto(permalinkUrl(URL_ROOT, await encodePermalink({ scenario: loaded.scenario, step: cursor })));
  await page.waitForSelector('[data-testid="trace-hash"]', { timeout: 60_000 });
  await page.waitForSelector('.app[data-running="false"]', { timeout: 60_000 });
  await page.waitForFunction(`document.querySelector('[data-testid="cursor"]')?.textContent === '${cursor}'`, undefined, { timeout: 60_000 });
  await page.getByTestId('speed').selectOption('1');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  // A string, not a function: tsx's name-keeping helpers do not exist inside the page.
  return page.evaluate(`(async () => {
    let frames = 0;
    const started = performance.now();
    await new Promise((resolve) => {
      const tick = () => {
        frames++;
        if (performance.now() - started < ${seconds * 1000}) requestAnimationFrame(tick);
        else resolve();
      };
      requestAnimationFrame(tick);
    });
    const tokens = document.querySelectorAll('[data-testid^="token-"]').length;
    return { fps: Math.round((frames * 1000) / (performance.now() - started)), tokens };
  })()`);
}

function report(readyMs: number[], { fps, tokens }: { fps: number; tokens: number }, inFlight: number): void {
  const sorted = [...readyMs].sort((a, b) => a - b);
  console.log('');
  console.log('| page figure | value |');
  console.log('|---|---:|');
  console.log(`| page ready (DB booted, first scenario drawn), median of ${readyMs.length} | ${sorted[Math.floor(sorted.length / 2)]} ms |`);
  console.log(`| page ready, each load | ${readyMs.join(', ')} ms |`);
  console.log(`| messages in flight at the measured step (queued or unacked) | ${inFlight} |`);
  console.log(`| message tokens on the diagram | ${tokens} |`);
  console.log(`| frames per second while playing there at 1× | ${fps} |`);
}

await main();
