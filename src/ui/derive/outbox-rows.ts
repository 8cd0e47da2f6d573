import type { EntryOf, TraceEntry } from '../../sim/trace';

/**
 * The outbox tables' pending rows, rebuilt from the statements in the trace. Row ids are the
 * table's bigserial, so the n-th insert made row n (a rolled-back insert still takes its id);
 * "mark sent", "mark done" and "dead" name rows by those ids. A row counts once the commit
 * that wrote it is in the trace.
 */
export class OutboxRows {
  private readonly eventOfRow = new Map<number, string>();
  private readonly finished = new Set<number>();
  private readonly committedEvents = new Set<string>();
  private inserts = 0;

  apply(entry: TraceEntry): void {
    if (entry.kind === 'commit') for (const event of entry.events) this.committedEvents.add(event.id);
    else if (entry.kind === 'sql') this.noteStatement(entry);
  }

  pending(): number {
    let count = 0;
    for (const [row, eventId] of this.eventOfRow) if (!this.finished.has(row) && this.committedEvents.has(eventId)) count++;
    return count;
  }

  private noteStatement(entry: EntryOf<'sql'>): void {
    const { sql, params = [], rows } = entry;
    if (/^insert into outbox\.messages/.test(sql)) this.eventOfRow.set(++this.inserts, String(params[0]));
    else if (/^insert into pm\.outbox/.test(sql)) this.eventOfRow.set(++this.inserts, String(params[2]));
    else if (rows === 0) return;
    else if (/^update outbox\.messages set status = 'sent'/.test(sql)) this.finish(params[0]);
    else if (/^update outbox\.messages set status = 'dead'/.test(sql)) this.finish(params[0]);
    else if (/^update pm\.outbox set status = 'done'/.test(sql)) this.finish(params[0]);
    else if (/^update pm\.outbox set status = \$2/.test(sql) && params[1] === 'dead') this.finish(params[0]);
  }

  private finish(rowIds: unknown): void {
    for (const id of Array.isArray(rowIds) ? rowIds : [rowIds]) this.finished.add(Number(id));
  }
}
