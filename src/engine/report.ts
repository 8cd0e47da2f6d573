import { COUNTER_NAMES, type Counters } from '../checker/counters';
import type { Latency } from '../checker/checker';
import { evaluateExpectations, formatExpectation, measuresOf, type ExpectationFailure, type Expectations } from '../scenario/expect';
import type { RunEndReason } from '../sim/kernel';
import type { RunResult } from './run';

/**
 * What one run amounts to, as plain JSON: the CLI's `--json` output and what tests and
 * exports compare. Counters sit at the top level so `jq .lost` works.
 */
export type RunReport = {
  readonly scenario: string;
  readonly title: string;
  readonly strategy: string;
  readonly options: Record<string, unknown>;
  readonly seed: number;
  readonly endReason: RunEndReason;
  readonly latency: Latency;
  readonly latencyByConsumer: Readonly<Record<string, Latency>>;
  readonly virtualMs: number;
  readonly steps: number;
  readonly traceEntries: number;
  readonly traceHash: string;
  readonly expect: Expectations;
  readonly expectHolds: boolean;
  readonly expectFailures: readonly ExpectationFailure[];
} & Readonly<Counters>;

export function summarize(result: RunResult): RunReport {
  const { scenario, verdict } = result;
  const counters = Object.fromEntries(COUNTER_NAMES.map((name) => [name, verdict.counters[name]])) as Counters;
  const expectFailures = evaluateExpectations(scenario.expect, measuresOf(verdict));
  return {
    scenario: scenario.name,
    title: scenario.title,
    strategy: scenario.strategy,
    options: scenario.options,
    seed: scenario.seed,
    endReason: result.endReason,
    ...counters,
    latency: verdict.latency,
    latencyByConsumer: verdict.latencyByConsumer,
    virtualMs: verdict.virtualMs,
    steps: result.steps,
    traceEntries: result.trace.length,
    traceHash: result.traceHash,
    expect: scenario.expect,
    expectHolds: expectFailures.length === 0,
    expectFailures,
  };
}

/** A plain-text table of the report for a terminal; the `expect` column marks what the scenario claims. */
export function renderReport(report: RunReport): string {
  const failed = new Set<string>(report.expectFailures.map((f) => f.field));
  const header: string[][] = [
    ['scenario', `${report.scenario} (${report.title})`],
    ['strategy', `${report.strategy}${describeOptions(report.options)}`],
    ['seed', String(report.seed)],
    ['run', `${report.endReason} after ${report.steps} steps, ${report.virtualMs} virtual ms, ${report.traceEntries} trace entries`],
    ['traceHash', report.traceHash],
  ];
  const rows: string[][] = [['counter', 'value', 'expect', '']];
  for (const name of COUNTER_NAMES) {
    const expectation = report.expect[name];
    rows.push([
      name,
      String(report[name]),
      expectation === undefined ? '' : formatExpectation(expectation),
      expectation === undefined ? '' : failed.has(name) ? 'FAILED' : 'ok',
    ]);
  }
  const { p50, p99, max, count } = report.latency;
  const lines = [
    ...alignColumns(header),
    '',
    ...alignColumns(rows, [false, true, false, false]),
    '',
    `latency commit→effect (virtual ms, ${count} effects): p50 ${p50}, p99 ${p99}, max ${max}`,
    ...Object.entries(report.latencyByConsumer).map(([consumer, l]) => `  ${consumer}: p50 ${l.p50}, p99 ${l.p99}, max ${l.max}`),
  ];
  const latencyExpectations = Object.entries(report.expect).filter(([field]) => field.startsWith('latency.'));
  for (const [field, expectation] of latencyExpectations) {
    if (expectation === undefined) continue;
    lines.push(`expect ${field} ${formatExpectation(expectation)}: ${failed.has(field) ? 'FAILED' : 'ok'}`);
  }
  if (report.endReason !== 'quiesced') {
    lines.push(`note: the run stopped at its ${report.endReason === 'step-limit' ? 'step' : 'virtual time'} limit before the world went quiet`);
  }
  lines.push('', describeExpectOutcome(report));
  return lines.join('\n');
}

export function describeExpectOutcome(report: RunReport): string {
  const checks = Object.keys(report.expect).length;
  if (checks === 0) return 'expect: (none given)';
  if (report.expectHolds) return `expect holds (${checks} ${checks === 1 ? 'check' : 'checks'})`;
  return ['expect does NOT hold:', ...report.expectFailures.map((f) => `  ${f.message}`)].join('\n');
}

function describeOptions(options: Record<string, unknown>): string {
  const entries = Object.entries(options);
  if (entries.length === 0) return '';
  return ` (${entries.map(([key, value]) => `${key}: ${JSON.stringify(value)}`).join(', ')})`;
}

/** Pads every column to its widest cell; numeric columns align right. */
export function alignColumns(rows: readonly (readonly string[])[], alignRight: readonly boolean[] = []): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (alignRight[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}
