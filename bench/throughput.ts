/**
 * `npm run bench`: how much the simulator costs on top of the SQL it runs.
 *
 * For every registered strategy: run a 2,000-command scenario (no faults) through `runScenario`
 * on one PGlite booted once, then reset the database to the same blank world and replay exactly
 * the SQL the run executed (the trace's `sql` entries, in order, with their params) in a tight
 * `pg.query` loop. The ratio sim/raw says how close the simulator gets to the bare database
 * (goal ≥ 0.8×); the compression says how many virtual ms one wall ms simulates.
 *
 * Nothing is asserted: the numbers are printed, that is all.
 *
 * The machine may be shared (other processes, 2 cores): each measurement is repeated `--rounds`
 * times, sim and raw alternating, and the table shows the best (lowest) time of each, which is
 * the least disturbed one. CPU time (user + system of this process; PGlite runs in-process)
 * is shown next to wall time because it is less sensitive to other processes.
 *
 *   npm run bench [-- --commands N] [--interval MS] [--seed N] [--warmup N] [--rounds N] [--strategy ID]
 */
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { PGlite } from '@electric-sql/pglite';
import { runScenario, worldSchemaSql, type RunResult } from '../src/engine/run';
import { bootPostgres, resetDatabase } from '../src/infra/database';
import { validateScenario } from '../src/scenario/load';
import type { Scenario } from '../src/scenario/schema';
import type { EntryOf, TraceEntry } from '../src/sim/trace';
import { strategies } from '../src/strategies';
import type { Strategy } from '../src/strategies/strategy';
import { recordingDb, replayingDb, type Recording } from './recorded-db';

const { values: args } = parseArgs({
  options: {
    commands: { type: 'string', default: '2000' },
    interval: { type: 'string', default: '10' },
    seed: { type: 'string', default: '42' },
    warmup: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '3' },
    strategy: { type: 'string' },
  },
});
const COMMANDS = Number(args.commands);
const INTERVAL_MS = Number(args.interval);
const SEED = Number(args.seed);
const WARMUP_COMMANDS = Number(args.warmup);
const ROUNDS = Math.max(1, Number(args.rounds));

function scenarioFor(strategy: Strategy<any>, commands: number): Scenario {
  const result = validateScenario({
    name: `bench-${strategy.id}`,
    title: `Throughput of ${strategy.id}`,
    strategy: strategy.id,
    seed: SEED,
    workload: { commands, interval: INTERVAL_MS },
    faults: [],
  });
  if (!result.ok) throw new Error(`bench scenario invalid: ${JSON.stringify(result.problems)}`);
  return result.scenario;
}

/** Wall and CPU (user + system, this process) time of one measured stretch, in ms. */
interface Timing {
  wallMs: number;
  cpuMs: number;
}

function startTimer(): () => Timing {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { wallMs: performance.now() - wall, cpuMs: (used.user + used.system) / 1000 };
  };
}

interface SimMeasurement {
  result: RunResult;
  /** runScenario end to end: database reset, kernel loop, checker, trace hash. */
  total: Timing;
  /** From the `run-start` entry (database reset done) to the `run-end` entry (kernel quiesced). */
  loop: Timing;
}

async function measureSim(pg: PGlite, scenario: Scenario): Promise<SimMeasurement> {
  let stopLoop: (() => Timing) | undefined;
  let loop: Timing = { wallMs: NaN, cpuMs: NaN };
  const stop = startTimer();
  const result = await runScenario(pg, scenario, {
    onEntry: (entry) => {
      if (entry.kind === 'run-start') stopLoop = startTimer();
      else if (entry.kind === 'run-end' && stopLoop) loop = stopLoop();
    },
  });
  return { result, total: stop(), loop };
}

interface RawMeasurement {
  statements: number;
  time: Timing;
  /** Statements whose row count differed from the simulated run's (0: same world, same SQL, same work). */
  rowMismatches: number;
}

/** Replays the run's `sql` entries, in order, with their params, on a database reset to the run's blank world. */
async function measureRaw(pg: PGlite, strategy: Strategy<any>, trace: readonly TraceEntry[]): Promise<RawMeasurement> {
  const sql = trace.filter((e): e is EntryOf<'sql'> => e.kind === 'sql');
  const texts = sql.map((e) => e.sql);
  const params = sql.map((e) => (e.params ? [...e.params] : []));
  const rows = new Int32Array(sql.length);
  await resetDatabase(pg, worldSchemaSql(strategy)); // the blank world runScenario starts from
  const stop = startTimer();
  for (let i = 0; i < texts.length; i++) {
    const result = await pg.query(texts[i]!, params[i]);
    rows[i] = result.affectedRows && result.rows.length === 0 ? result.affectedRows : result.rows.length;
  }
  const time = stop();
  let rowMismatches = 0;
  for (let i = 0; i < sql.length; i++) if (rows[i] !== sql[i]!.rows) rowMismatches++;
  return { statements: sql.length, time, rowMismatches };
}

/**
 * The simulator on its own: the same run with every database call answered instantly from a
 * recording of the real one. What this costs is what the simulator adds on top of Postgres.
 */
async function measureAlone(recording: Recording, scenario: Scenario, expectedHash: string): Promise<Timing> {
  const db = replayingDb(recording);
  const stop = startTimer();
  const result = await runScenario(db, scenario);
  const time = stop();
  if (result.traceHash !== expectedHash) throw new Error(`replayed run of ${scenario.strategy} has trace hash ${result.traceHash}, expected ${expectedHash}`);
  return time;
}

const count = (trace: readonly TraceEntry[], kind: TraceEntry['kind']): number => trace.filter((e) => e.kind === kind).length;
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ratio = (n: number): string => `${n.toFixed(2)}×`;
const best = (timings: readonly Timing[], key: keyof Timing): number => Math.min(...timings.map((t) => t[key]));
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ') + ' |';
  const rule = '|' + widths.map((w, c) => '-'.repeat(w + 1) + (c === 0 ? '-' : ':')).join('|') + '|';
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

interface StrategyResults {
  strategy: Strategy<any>;
  scenario: Scenario;
  sims: SimMeasurement[];
  raws: RawMeasurement[];
  recording?: Recording;
  alone: Timing[];
}

async function main(): Promise<void> {
  const chosen = args.strategy ? strategies.filter((s) => s.id === args.strategy) : strategies;
  if (chosen.length === 0) throw new Error(`no strategy '${args.strategy}'; registered: ${strategies.map((s) => s.id).join(', ')}`);

  const loadBefore = load();
  const stopBoot = startTimer();
  const pg = await bootPostgres();
  console.log(`PGlite booted once in ${fmt(stopBoot().wallMs)} ms · Node ${process.version} · ${availableParallelism()} cores · load average ${loadBefore}`);
  console.log(
    `workload: ${fmt(COMMANDS)} commands every ${INTERVAL_MS} virtual ms, seed ${SEED}, no faults · ` +
      `warm-up ${WARMUP_COMMANDS} commands per strategy · ${ROUNDS} round(s), best of each shown\n`,
  );

  // Warm-up: JIT, PGlite's plan and catalog caches, the WASM heap — for both paths.
  for (const strategy of chosen) {
    const warm = await measureSim(pg, scenarioFor(strategy, WARMUP_COMMANDS));
    await measureRaw(pg, strategy, warm.result.trace);
  }

  const results: StrategyResults[] = chosen.map((strategy) => ({ strategy, scenario: scenarioFor(strategy, COMMANDS), sims: [], raws: [], alone: [] }));
  // One untimed run per strategy through a recorder, for the "simulator alone" measurement.
  for (const r of results) {
    const { db, recording } = recordingDb(pg);
    const recorded = await runScenario(db, r.scenario);
    if (!recorded.trace.some((e) => e.kind === 'sql' && /^listen\b|pg_notify/i.test(e.sql))) r.recording = recording;
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const r of results) {
      const sim = await measureSim(pg, r.scenario);
      const raw = await measureRaw(pg, r.strategy, sim.result.trace);
      const alone = r.recording ? await measureAlone(r.recording, r.scenario, sim.result.traceHash) : undefined;
      r.sims.push(sim);
      r.raws.push(raw);
      if (alone) r.alone.push(alone);
      process.stderr.write(
        `  round ${round + 1}/${ROUNDS} ${r.strategy.id}: sim ${fmt(sim.total.wallMs)} ms wall / ${fmt(sim.total.cpuMs)} ms cpu, ` +
          `raw ${fmt(raw.time.wallMs)} / ${fmt(raw.time.cpuMs)}` +
          (alone ? `, simulator alone ${fmt(alone.wallMs)} / ${fmt(alone.cpuMs)}` : '') +
          '\n',
      );
    }
  }
  const loadAfter = load();

  const rows = results.map(({ strategy, sims, raws, alone }) => {
    const raw = raws[0]!;
    const virtualMs = sims[0]!.result.verdict.virtualMs;
    const simWall = best(sims.map((s) => s.total), 'wallMs');
    const simCpu = best(sims.map((s) => s.total), 'cpuMs');
    const rawWall = best(raws.map((r) => r.time), 'wallMs');
    const rawCpu = best(raws.map((r) => r.time), 'cpuMs');
    const aloneWall = alone.length > 0 ? best(alone, 'wallMs') : NaN;
    return [
      strategy.id,
      fmt(COMMANDS / (simWall / 1000)),
      fmt(raw.statements / (rawWall / 1000)),
      fmt(COMMANDS / (rawWall / 1000)),
      ratio(rawWall / simWall),
      ratio(rawCpu / simCpu),
      `${fmt(virtualMs / simWall, 1)}×`,
      alone.length > 0 ? fmt(COMMANDS / (aloneWall / 1000)) : 'n/a',
      alone.length > 0 ? fmt((aloneWall * 1000) / raw.statements, 1) : 'n/a',
    ];
  });
  console.log(
    table(
      ['strategy', 'sim cmd/s', 'raw stmt/s', 'raw cmd/s eq.', 'sim/raw wall', 'sim/raw cpu', 'virtual/wall', 'sim alone cmd/s', 'alone µs/stmt'],
      rows,
    ),
  );

  console.log('');
  const details = results.map(({ strategy, sims, raws, alone }) => {
    const { result } = sims[0]!;
    const stable = sims.every((s) => s.result.traceHash === result.traceHash);
    const c = result.verdict.counters;
    return [
      strategy.id,
      fmt(result.trace.length),
      fmt(result.steps),
      fmt(raws[0]!.statements),
      fmt(count(result.trace, 'sql-error')),
      fmt(Math.max(...raws.map((r) => r.rowMismatches))),
      fmt(result.verdict.virtualMs),
      `${fmt(best(sims.map((s) => s.total), 'wallMs'))} / ${fmt(best(sims.map((s) => s.total), 'cpuMs'))}`,
      `${fmt(best(sims.map((s) => s.loop), 'wallMs'))} / ${fmt(best(sims.map((s) => s.loop), 'cpuMs'))}`,
      `${fmt(best(raws.map((r) => r.time), 'wallMs'))} / ${fmt(best(raws.map((r) => r.time), 'cpuMs'))}`,
      alone.length > 0 ? `${fmt(best(alone, 'wallMs'))} / ${fmt(best(alone, 'cpuMs'))}` : 'n/a',
      `${c.committed}/${c.commands}, lost ${c.lost}`,
      result.endReason,
      `${result.traceHash}${stable ? '' : ' (UNSTABLE)'}`,
    ];
  });
  console.log(
    table(
      ['strategy', 'trace', 'steps', 'sql stmts', 'sql errs', 'row diffs', 'virtual ms', 'sim ms wall/cpu', 'loop ms wall/cpu', 'raw ms wall/cpu', 'alone ms wall/cpu', 'committed', 'end', 'trace hash'],
      details,
    ),
  );
  console.log(`
load average before ${loadBefore} · after ${loadAfter} (1, 5, 15 min; > ${availableParallelism()} means other processes competed for the CPU)

sim cmd/s       commands / wall time of runScenario (database reset, kernel loop, checker, trace hash)
raw stmt/s      the run's sql entries replayed with pg.query(text, params) on a reset database, awaited one by one
raw cmd/s eq.   commands / wall time of that replay
sim/raw wall    sim cmd/s ÷ raw cmd/s eq. (goal ≥ 0.8×); sim/raw cpu: the same from CPU time (which
                counts V8's parallel GC threads too, so it can exceed wall time)
virtual/wall    simulated ms per wall ms of runScenario (compression)
sim alone       the same run with every database call answered instantly from a recording of it: the
                simulator's own cost (kernel, trace, strategies, broker, checker, hash); µs/stmt divides
                it by the run's SQL statements. n/a: the run uses LISTEN/NOTIFY, which is not replayed
loop ms         kernel loop only: from the run-start to the run-end trace entry
row diffs       replayed statements whose row count differs from the run's (0: the replay did the same work)
trace hash      identical in every round (UNSTABLE otherwise)`);
  await pg.close();
}

await main();
