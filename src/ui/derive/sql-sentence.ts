import type { EntryOf } from '../../sim/trace';
import { actorInSentence, capitalise, plural } from './names';

type SqlEntry = EntryOf<'sql'>;
type Say = (entry: SqlEntry, match: RegExpExecArray) => string;

/** Known statements of the engine, most specific first; the first matching pattern speaks. */
const STATEMENTS: ReadonlyArray<readonly [RegExp, Say]> = [
  [/^begin\b/i, () => 'began a transaction'],
  [/^commit prepared '([^']+)'/i, (_, m) => `committed the prepared transaction ${m[1]}`],
  [/^rollback prepared '([^']+)'/i, (_, m) => `rolled back the prepared transaction ${m[1]}`],
  [/^prepare transaction '([^']+)'/i, (_, m) => `prepared transaction ${m[1]}: it stays open, holding its locks, until it is committed or rolled back`],
  [/^commit\b/i, () => 'committed its transaction'],
  [/^rollback\b/i, () => 'rolled back its transaction'],
  // Transactional outbox
  [/^insert into outbox\.messages/i, (e) => `wrote ${param(e, 0)} to the outbox table, in the same transaction as the state change`],
  [/^select .* from outbox\.messages where status = 'pending' order by id/i, (e) =>
    e.rows > 0 ? `read ${plural(e.rows, 'pending outbox row')}` : 'found no pending outbox rows'],
  [/^update outbox\.messages set status = 'sent'/i, (e) => `marked ${plural(e.rows, 'outbox row')} sent`],
  [/^update outbox\.messages set status = 'dead'/i, () => 'marked an outbox row dead after too many attempts'],
  [/^update outbox\.messages set attempts/i, (e) => `recorded a failed attempt on an outbox row; next try at ${param(e, 2)} ms`],
  [/^update outbox\.messages set claimed_by = \$1/i, (e) => (e.rows > 0 ? `claimed ${plural(e.rows, 'due outbox row')}` : 'found no outbox row to claim')],
  [/^update outbox\.messages set claimed_by = null/i, (e) => `handed ${plural(e.rows, 'unattempted row')} back`],
  [/^select count\(\*\).* from outbox\.messages/i, () => 'counted the pending outbox rows'],
  [/^update outbox\.relay_lease/i, (e) => (e.rows > 0 ? 'took (or renewed) the leader lease' : 'found the leader lease held by another relay and stood by')],
  [/pg_notify/i, () => 'notified the relay (NOTIFY), so it need not wait for its next poll'],
  // Process managers' generic outbox
  [/^insert into pm\.outbox/i, (e) => `wrote outbox row ${param(e, 1)} (${param(e, 0)})`],
  [/^update pm\.outbox set claimed_by = \$1/i, (e) => (e.rows > 0 ? `leased ${plural(e.rows, 'outbox row')}` : 'found no due outbox row to lease')],
  [/^update pm\.outbox set status = 'done'/i, (e) => (e.rows > 0 ? `marked outbox row ${param(e, 0)} done` : `found outbox row ${param(e, 0)} already done`)],
  [/^update pm\.outbox set status = \$2/i, (e) => `recorded the failure of outbox row ${param(e, 0)} (${param(e, 1)}, attempt ${param(e, 2)})`],
  [/^select min\(greatest/i, () => 'looked up when the next outbox row is due'],
  // Event table and pollers
  [/^insert into poller\.events/i, (e) => `wrote ${param(e, 0)} to the events table, in the same transaction as the state change`],
  [/^insert into poller\.positions/i, () => 'made sure it has a saved position'],
  [/^select .* from poller\.events .*pg_snapshot_xmin/i, (e) =>
    e.rows > 0 ? `read ${plural(e.rows, 'new event')}, only from transactions older than every open one` : 'found no new events older than every open transaction'],
  [/^select .* from poller\.events/i, (e) => (e.rows > 0 ? `read ${plural(e.rows, 'new event')} after its position` : 'found no new events after its position')],
  [/^update poller\.positions/i, (e) => `saved its position (event row ${param(e, 1)})`],
  // Consumer services
  [/^insert into \w+\.inbox/i, (e) => (e.rows > 0 ? `recorded ${param(e, 1)} in its inbox` : `found ${param(e, 1)} already in its inbox`)],
  [/^insert into email_service\.sent_emails/i, (e) => `recorded an email to ${param(e, 1)} about ${param(e, 0)}`],
  [/^insert into entitlement_service\.entitlements/i, (e) => `recorded the entitlement for ${param(e, 1)} (${param(e, 0)})`],
  [/^insert into analytics_service\.recorded_events/i, (e) => `recorded ${param(e, 0)} for analytics`],
  // The domain
  [/^insert into app\.applications/i, (e) => (e.rows > 0 ? `inserted application ${param(e, 0)}` : `found application ${param(e, 0)} already there`)],
  [/^update app\.applications set state/i, (e) => {
    if (e.rows === 0) return `found application ${param(e, 0)} no longer submitted`;
    return param(e, 1) === 'submitted' ? `updated application ${param(e, 0)} (it stays submitted)` : `moved application ${param(e, 0)} to ${param(e, 1)}`;
  }],
  [/^update app\.applications/i, (e) => `bumped the version of application ${param(e, 0)}`],
  [/^insert into app\.reviewers/i, (e) => `invited ${param(e, 1)} to review ${param(e, 0)}`],
  [/^update app\.reviewers/i, (e) => (e.rows > 0 ? `marked ${param(e, 1)} as joined on ${param(e, 0)}` : `found no open invitation for ${param(e, 1)}`)],
  // Two-phase commit
  [/pg_try_advisory_xact_lock/i, (e) => `tried to lock application ${param(e, 0)}`],
  [/from pg_prepared_xacts p join pg_locks/i, (e) => `asked Postgres which prepared transactions hold the lock on ${param(e, 0)}`],
  [/from pg_prepared_xacts/i, (e) => `listed ${plural(e.rows, 'prepared transaction')} in pg_prepared_xacts`],
  [/^insert into tpc\.decisions/i, (e) => `logged its commit decision for ${param(e, 0)}`],
  [/^select .* from tpc\.decisions/i, (e) => `read ${plural(e.rows, 'unfinished decision')} from its log`],
  [/^update tpc\.decisions/i, (e) => `marked ${param(e, 0)} complete in its log`],
  // Anything else, by verb
  [/^select\b.*?\bfrom\s+([\w.]+)/i, (e, m) => `read ${plural(e.rows, 'row')} from ${m[1]}`],
  [/^insert into ([\w.]+)/i, (e, m) => `inserted ${plural(e.rows, 'row')} into ${m[1]}`],
  [/^update ([\w.]+)/i, (e, m) => `updated ${plural(e.rows, 'row')} of ${m[1]}`],
  [/^delete from ([\w.]+)/i, (e, m) => `deleted ${plural(e.rows, 'row')} from ${m[1]}`],
];

/** "Relay marked 3 outbox rows sent": what a statement did, in words, from its text, parameters and row count. */
export function sqlSentence(entry: SqlEntry): string {
  const subject = capitalise(actorInSentence(entry.actor));
  for (const [pattern, say] of STATEMENTS) {
    const match = pattern.exec(entry.sql);
    if (match) return `${subject} ${say(entry, match)}`;
  }
  return `${subject} ran \`${abbreviate(entry.sql, 60)}\``;
}

function param(entry: SqlEntry, index: number): string {
  const value = entry.params?.[index];
  if (value === undefined || value === null) return '?';
  if (typeof value === 'object') return Array.isArray(value) ? value.join(', ') : '(a record)';
  return String(value);
}

export function abbreviate(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}
