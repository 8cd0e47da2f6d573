import type { Verdict } from '../checker/checker';
import type { RunResult } from '../engine/run';
import { describeFault } from '../engine/faults';
import type { Scenario } from '../scenario/schema';
import type { TraceEntry } from '../sim/trace';
import { findStrategy } from '../strategies';

/**
 * "Export for ADR": a Markdown snippet an architecture decision record can paste — the
 * scenario in two sentences, the checker's figures for every strategy compared, a Mermaid
 * sequence diagram of the messages that matter (Maelstrom's Lamport diagram idea), and the
 * permalink that reproduces the run.
 */
export interface AdrInput {
  readonly scenario: Scenario;
  /** One run per strategy; the first is the scenario's own. */
  readonly runs: readonly RunResult[];
  readonly permalink: string;
}

const TABLE_ROWS: ReadonlyArray<readonly [string, (v: Verdict) => number | string]> = [
  ['committed commands', (v) => v.counters.committed],
  ['lost effects', (v) => v.counters.lost],
  ['phantom effects', (v) => v.counters.phantom],
  ['duplicate deliveries', (v) => v.counters.duplicateDeliveries],
  ['duplicate effects', (v) => v.counters.duplicateEffects],
  ['out of order', (v) => v.counters.outOfOrder],
  ['dead-lettered', (v) => v.counters.deadLettered],
  ['max in doubt (2PC)', (v) => v.counters.inDoubtMax],
  ['blocked (virtual ms)', (v) => v.counters.blockedMs],
  ['latency p50 / p99 / max (virtual ms)', (v) => `${v.latency.p50} / ${v.latency.p99} / ${v.latency.max}`],
];

export function adrMarkdown({ scenario, runs, permalink }: AdrInput): string {
  const first = runs[0];
  if (!first) throw new Error('an ADR export needs at least one run');
  const titleOf = (run: RunResult) => findStrategy(run.scenario.strategy)?.title ?? run.scenario.strategy;
  const header = `| | ${runs.map(titleOf).join(' | ')} |\n|---|${runs.map(() => '---:').join('|')}|`;
  const rows = TABLE_ROWS.map(([label, value]) => `| ${label} | ${runs.map((r) => value(r.verdict)).join(' | ')} |`);
  const faults = scenario.faults.length > 0 ? scenario.faults.map((f) => describeFault(f)).join('; ') : 'no faults';
  const workload = scenario.workload.script
    ? `${scenario.workload.script.length} scripted commands`
    : `${scenario.workload.commands} commands every ${scenario.workload.interval} virtual ms`;
  return [
    `### ${scenario.title}`,
    '',
    `${workload}, seed ${scenario.seed}, consumers ${scenario.consumers.idempotent ? 'idempotent (inbox)' : 'not idempotent'}; faults: ${faults}.`,
    '',
    header,
    ...rows,
    '',
    `Messages under ${titleOf(first)}:`,
    '',
    '```mermaid',
    sequenceDiagram(first.trace, first.verdict),
    '```',
    '',
    `[Reproduce this run](${permalink}) — same seed, same trace (hash \`${first.traceHash}\`).`,
    '',
  ].join('\n');
}

/** At most this many arrows and notes: a diagram is read, not scrolled. */
const MAX_LINES = 60;

/**
 * The messages of the events that matter — those a violation points at, plus the first two —
 * and every crash and fault, as a Mermaid sequence diagram.
 */
export function sequenceDiagram(trace: readonly TraceEntry[], verdict: Verdict): string {
  const interesting = interestingEvents(trace, verdict);
  const lines: string[] = [];
  const participants = new Map<string, string>();
  const who = (name: string): string => {
    const id = name.replace(/[^A-Za-z0-9]/g, '_');
    if (!participants.has(id)) participants.set(id, name);
    return id;
  };
  who('client');
  who('api');
  who('postgres');
  const eventOfCommand = (commandId: string) => `evt-${commandId.replace(/^cmd-/, '')}`;
  for (const e of trace) {
    if (lines.length >= MAX_LINES) {
      lines.push(`Note over ${who('client')}: … (${trace.length} trace entries in all)`);
      break;
    }
    const line = diagramLine(e, interesting, who, eventOfCommand);
    if (line) lines.push(line);
  }
  const declared = [...participants].map(([id, name]) => `  participant ${id} as ${name}`);
  return ['sequenceDiagram', ...declared, ...lines.map((l) => `  ${l}`)].join('\n');
}

function diagramLine(
  e: TraceEntry,
  interesting: Set<string>,
  who: (name: string) => string,
  eventOfCommand: (commandId: string) => string,
): string | undefined {
  const clean = (text: string) => text.replace(/[;#\n]/g, ' ');
  switch (e.kind) {
    case 'command':
      return interesting.has(eventOfCommand(e.commandId)) ? `${who('client')}->>${who('api')}: ${clean(`${e.command} ${e.aggregateId} (${e.commandId})`)}` : undefined;
    case 'commit':
      return e.events.some((ev) => interesting.has(ev.id))
        ? `${who(e.actor)}->>${who('postgres')}: ${clean(`commit ${e.events.map((ev) => `${ev.id} ${ev.type}`).join(', ')}`)}`
        : undefined;
    case 'publish':
      return interesting.has(e.messageId) ? `${who(e.actor)}->>${who('broker')}: ${clean(`publish ${e.messageId}${e.outcome === 'confirmed' ? '' : ` (${e.outcome})`}`)}` : undefined;
    case 'deliver':
      return interesting.has(e.messageId)
        ? `${who('broker')}->>${who(e.consumer)}: ${clean(`deliver ${e.messageId}${e.deliveryCount > 1 ? ` (delivery ${e.deliveryCount})` : ''}`)}`
        : undefined;
    case 'effect':
      return interesting.has(e.eventId) ? `Note over ${who(`${e.consumer} effects`)}: ${clean(e.key)}` : undefined;
    case 'crash':
      return `Note over ${who(e.actor)}: ${clean(`CRASH at ${e.point}`)}`;
    case 'restart':
      return `Note over ${who(e.actor)}: restarted`;
    case 'fault':
      return e.fault === 'crash' ? undefined : `Note over ${who(e.fault === 'broker-down' ? 'broker' : 'client')}: ${clean(`${e.detail} ${e.state}`)}`;
    case 'dead-letter':
      return interesting.has(e.messageId) ? `Note over ${who('broker')}: ${clean(`dead-lettered ${e.messageId} (${e.where})`)}` : undefined;
    default:
      return undefined;
  }
}

function interestingEvents(trace: readonly TraceEntry[], verdict: Verdict): Set<string> {
  const events = new Set<string>();
  for (const violation of verdict.violations) {
    const entry = trace[violation.entry];
    if (!entry) continue;
    if (entry.kind === 'commit') entry.events.forEach((ev) => events.add(ev.id));
    if (entry.kind === 'effect') events.add(entry.eventId);
    if (entry.kind === 'deliver' || entry.kind === 'dead-letter') events.add(entry.messageId);
    if (events.size >= 3) break;
  }
  for (const entry of trace) {
    if (events.size >= 3) break;
    if (entry.kind === 'commit') entry.events.forEach((ev) => events.add(ev.id));
  }
  return events;
}
