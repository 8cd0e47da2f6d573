import { readFile } from 'node:fs/promises';
import type { PGlite } from '@electric-sql/pglite';
import { scenarioUnder } from '../engine/compare';
import { runScenario, type RunResult } from '../engine/run';
import { adrMarkdown } from '../report/adr';
import { encodePermalink, permalinkUrl } from '../scenario/permalink';
import { alignColumns, renderReport, summarize } from '../engine/report';
import { bootPostgres } from '../infra/database';
import { parseScenarioTextWithOverrides, type ScenarioOverrides } from '../scenario/overrides';
import { crashPointsOf, strategies } from '../strategies';

/** The expect block held (or there was none). */
const EXIT_OK = 0;
/** The run finished but the scenario's `expect` did not hold. */
const EXIT_EXPECT_FAILED = 1;
/** Bad input: unknown flag, unreadable file, invalid scenario. */
const EXIT_BAD_INPUT = 2;
/** The simulation itself failed (a bug in the engine or a strategy). */
const EXIT_INTERNAL_ERROR = 3;

const USAGE = `Usage:
  npm run sim -- <scenario-file> [--strategy ID] [--seed N] [--json | --report md [--link-base URL]]
  npm run sim -- --list
  npm run sim -- --help

Runs a scenario (YAML or JSON) on an in-process Postgres (PGlite) and reports what the
checker measured. --strategy and --seed replace the file's values before it is validated.

Options:
  --strategy ID   run with this strategy instead of the file's
  --seed N        run with this seed instead of the file's (a non-negative integer)
  --json          print one JSON object instead of a table
  --report md     print the "Export for ADR" Markdown: checker table for the scenario's
                  strategy and its compareWith strategies, a Mermaid sequence diagram of the
                  key messages, and a permalink that reproduces the run
  --link-base URL where the app is served, for the permalink (default ./)
  --list          list the registered strategies and their crash points
  --help, -h      print this help

Exit codes:
  0  the scenario's expect block holds
  1  it does not (the failing fields are printed)
  2  bad input: unknown flag, missing file, invalid scenario
  3  the simulation itself failed`;

type Output = { kind: 'table' } | { kind: 'json' } | { kind: 'adr'; linkBase: string };

type Invocation =
  | { kind: 'help' }
  | { kind: 'list' }
  | { kind: 'run'; file: string; overrides: ScenarioOverrides; output: Output }
  | { kind: 'bad'; problem: string };

function parseArguments(args: readonly string[]): Invocation {
  let file: string | undefined;
  let strategy: string | undefined;
  let seed: number | undefined;
  let json = false;
  let report: string | undefined;
  let linkBase = './';
  let list = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inlineValue] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const valueOf = (): string | undefined => inlineValue ?? args[++i];
    switch (flag) {
      case '--help':
      case '-h':
        return { kind: 'help' };
      case '--list':
        list = true;
        break;
      case '--json':
        json = true;
        break;
      case '--report': {
        const value = valueOf();
        if (value !== 'md') return { kind: 'bad', problem: `--report takes 'md', got '${value ?? ''}'` };
        report = value;
        break;
      }
      case '--link-base': {
        const value = valueOf();
        if (!value || value.startsWith('--')) return { kind: 'bad', problem: '--link-base needs the URL the app is served from' };
        linkBase = value;
        break;
      }
      case '--strategy': {
        const value = valueOf();
        if (!value || value.startsWith('--')) return { kind: 'bad', problem: '--strategy needs a strategy id (see --list)' };
        strategy = value;
        break;
      }
      case '--seed': {
        const value = valueOf();
        if (!value || !/^\d+$/.test(value)) return { kind: 'bad', problem: `--seed needs a non-negative integer, got '${value ?? ''}'` };
        seed = Number(value);
        break;
      }
      default:
        if (arg.startsWith('-')) return { kind: 'bad', problem: `unknown option '${arg}'` };
        if (file !== undefined) return { kind: 'bad', problem: `one scenario file at a time (got '${file}' and '${arg}')` };
        file = arg;
    }
  }
  if (list) return { kind: 'list' };
  if (file === undefined) return { kind: 'bad', problem: 'no scenario file given' };
  if (json && report) return { kind: 'bad', problem: '--json and --report md print different things; pick one' };
  const output: Output = report ? { kind: 'adr', linkBase } : json ? { kind: 'json' } : { kind: 'table' };
  return { kind: 'run', file, overrides: { ...(strategy !== undefined ? { strategy } : {}), ...(seed !== undefined ? { seed } : {}) }, output };
}

function listStrategies(): string {
  const blocks = strategies.map((strategy) => {
    const rows = crashPointsOf(strategy).map((p) => [`  ${p.id}`, p.actor, p.description]);
    return [`${strategy.id} — ${strategy.title}`, ...alignColumns(rows)].join('\n');
  });
  return ['Strategies and their crash points (crash point, actor that dies, what state it leaves):', '', blocks.join('\n\n')].join('\n');
}

async function run(file: string, overrides: ScenarioOverrides, output: Output): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    console.error(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(error)}`);
    return EXIT_BAD_INPUT;
  }
  const loaded = parseScenarioTextWithOverrides(text, overrides);
  if (!loaded.ok) {
    console.error(`${file} is not a valid scenario:`);
    for (const problem of loaded.problems) console.error(`  ${problem.field}: ${problem.message}`);
    return EXIT_BAD_INPUT;
  }

  const pg = await bootPostgres();
  try {
    const result = await runScenario(pg, loaded.scenario);
    const report = summarize(result);
    if (output.kind === 'adr') console.log(await adrFor(pg, result, output.linkBase));
    else console.log(output.kind === 'json' ? JSON.stringify(report, null, 2) : renderReport(report));
    const json = output.kind !== 'table';
    if (!report.expectHolds) {
      if (json) for (const failure of report.expectFailures) console.error(`expect failed: ${failure.message}`);
      return EXIT_EXPECT_FAILED;
    }
    return EXIT_OK;
  } finally {
    await pg.close();
  }
}

async function adrFor(pg: PGlite, first: RunResult, linkBase: string): Promise<string> {
  const { scenario } = first;
  const runs = [first];
  for (const other of scenario.compareWith) runs.push(await runScenario(pg, scenarioUnder(scenario, other).scenario));
  return adrMarkdown({ scenario, runs, permalink: permalinkUrl(linkBase, await encodePermalink({ scenario, step: 0, compare: scenario.compareWith })) });
}

async function main(args: readonly string[]): Promise<number> {
  const invocation = parseArguments(args);
  switch (invocation.kind) {
    case 'help':
      console.log(USAGE);
      return EXIT_OK;
    case 'list':
      console.log(listStrategies());
      return EXIT_OK;
    case 'bad':
      console.error(`error: ${invocation.problem}\n(run with --help for usage)`);
      return EXIT_BAD_INPUT;
    case 'run':
      return run(invocation.file, invocation.overrides, invocation.output);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`simulation failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = EXIT_INTERNAL_ERROR;
  },
);
