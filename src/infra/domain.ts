import type { Random } from '../sim/random';
import type { DomainEvent } from '../sim/trace';
import type { Sql } from '../world/database';

/**
 * The business the simulated system runs: an application-approval workflow (after the REMS
 * design documents). Commands change an application's state and produce domain events;
 * consumer services turn events into effects (emails, entitlements, analytics records).
 */
export const DOMAIN_SCHEMA_SQL = `
create schema app;
create table app.applications (
  id text primary key,
  applicant text not null,
  state text not null,
  version int not null,
  updated_at bigint not null
);
create table app.reviewers (
  application_id text not null references app.applications(id),
  reviewer text not null,
  joined boolean not null default false,
  primary key (application_id, reviewer)
);
`;

export const COMMAND_TYPES = ['submit', 'invite-reviewer', 'accept-invitation', 'approve', 'reject'] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];

export interface Command {
  readonly id: string;
  readonly type: CommandType;
  readonly applicationId: string;
  /** The applicant for `submit`, the reviewer for `invite-reviewer` and `accept-invitation`. */
  readonly person?: string;
  /**
   * The event an accepted invitation is announced with (REMS seed 003): a small, new
   * `ReviewerJoined`, or the existing, larger `ReviewRequested` reused — which the email
   * service cannot tell from a fresh invitation.
   */
  readonly announceAs?: 'ReviewerJoined' | 'ReviewRequested';
}

export const EVENT_TYPES = {
  submit: 'ApplicationSubmitted',
  'invite-reviewer': 'ReviewRequested',
  'accept-invitation': 'ReviewerJoined',
  approve: 'ApplicationApproved',
  reject: 'ApplicationRejected',
} as const satisfies Record<CommandType, string>;

/** Handlers who are told about every new application. */
export const HANDLERS = ['handler-ann', 'handler-bo'] as const;

const ROUTING_KEYS: Record<string, string> = {
  ApplicationSubmitted: 'application.submitted',
  ReviewRequested: 'application.review-requested',
  ReviewerJoined: 'application.reviewer-joined',
  ApplicationApproved: 'application.approved',
  ApplicationRejected: 'application.rejected',
};

/** The topic a domain event is published under; unknown types fall back to `event.<type>`. */
export function routingKey(eventType: string): string {
  return ROUTING_KEYS[eventType] ?? `event.${eventType}`;
}

export type CommandResult = { ok: true; events: DomainEvent[] } | { ok: false; reason: string };

/**
 * The command handler's business logic: validate against the current row and change it.
 * Runs inside the caller's transaction, so the strategy decides what else commits with it.
 */
export async function applyCommand(sql: Sql, command: Command, nowMs: number): Promise<CommandResult> {
  const eventId = `evt-${command.id.replace(/^cmd-/, '')}`;
  const event = (version: number, applicant: string, payload: DomainEvent['payload'] = {}): DomainEvent => ({
    id: eventId,
    type: command.announceAs ?? EVENT_TYPES[command.type],
    aggregateId: command.applicationId,
    version,
    at: nowMs,
    payload: { applicant, ...payload },
  });
  if (command.type === 'submit') {
    const applicant = command.person ?? `applicant-of-${command.applicationId}`;
    const inserted = await sql.query(
      `insert into app.applications (id, applicant, state, version, updated_at) values ($1, $2, 'submitted', 1, $3)
       on conflict (id) do nothing returning id`,
      [command.applicationId, applicant, nowMs],
    );
    if (inserted.length === 0) return { ok: false, reason: `application ${command.applicationId} already exists` };
    return { ok: true, events: [event(1, applicant, { handlers: [...HANDLERS] })] };
  }
  if (command.type === 'accept-invitation') return acceptInvitation(sql, command, nowMs, event);
  const nextState = command.type === 'approve' ? 'approved' : command.type === 'reject' ? 'rejected' : 'submitted';
  const updated = await sql.query<{ version: number; applicant: string }>(
    `update app.applications set state = $2, version = version + 1, updated_at = $3
     where id = $1 and state = 'submitted' returning version, applicant`,
    [command.applicationId, nextState, nowMs],
  );
  const row = updated[0];
  if (!row) return { ok: false, reason: `application ${command.applicationId} is not awaiting a decision` };
  if (command.type === 'invite-reviewer') {
    const reviewer = command.person ?? `reviewer-of-${command.applicationId}`;
    await sql.query(`insert into app.reviewers (application_id, reviewer) values ($1, $2) on conflict do nothing`, [
      command.applicationId,
      reviewer,
    ]);
    return { ok: true, events: [event(row.version, row.applicant, { reviewer })] };
  }
  return { ok: true, events: [event(row.version, row.applicant)] };
}

async function acceptInvitation(
  sql: Sql,
  command: Command,
  nowMs: number,
  event: (version: number, applicant: string, payload?: DomainEvent['payload']) => DomainEvent,
): Promise<CommandResult> {
  const reviewer = command.person ?? `reviewer-of-${command.applicationId}`;
  const joined = await sql.query(
    `update app.reviewers set joined = true where application_id = $1 and reviewer = $2 and not joined returning reviewer`,
    [command.applicationId, reviewer],
  );
  if (joined.length === 0) return { ok: false, reason: `${reviewer} has no open invitation to ${command.applicationId}` };
  const updated = await sql.query<{ version: number; applicant: string }>(
    `update app.applications set version = version + 1, updated_at = $2 where id = $1 returning version, applicant`,
    [command.applicationId, nowMs],
  );
  const row = updated[0]!;
  return { ok: true, events: [event(row.version, row.applicant, { reviewer, handlers: [...HANDLERS] })] };
}

/**
 * A client issuing commands at a steady interval: it submits applications and decides on the
 * ones it has submitted. It knows only what it sent, like a real client, so some of its
 * commands may be refused by the handler.
 */
export function generateWorkload(random: Random, count: number): Command[] {
  const open: string[] = [];
  const commands: Command[] = [];
  let applications = 0;
  for (let n = 1; n <= count; n++) {
    const id = `cmd-${n}`;
    if (open.length > 0 && random.chance(0.6)) {
      const index = random.int(0, open.length - 1);
      const applicationId = open[index]!;
      const roll = random.next();
      if (roll < 0.25) {
        commands.push({ id, type: 'invite-reviewer', applicationId, person: `reviewer-${n}` });
      } else {
        commands.push({ id, type: roll < 0.75 ? 'approve' : 'reject', applicationId });
        open.splice(index, 1);
      }
    } else {
      applications++;
      const applicationId = `app-${applications}`;
      commands.push({ id, type: 'submit', applicationId, person: `applicant-${applications}` });
      open.push(applicationId);
    }
  }
  return commands;
}
