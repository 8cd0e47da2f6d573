import { describe, expect, it } from 'vitest';
import type { TraceEntry } from '../../src/sim/trace';
import { actorsIn, filterTrace, positionOf, sentenceCache, visibleRows } from '../../src/ui/derive/event-log';

const trace: TraceEntry[] = [
  { i: 0, t: 0, kind: 'run-start', scenario: 's', strategy: 'outbox', seed: 1, options: {} },
  { i: 1, t: 0, kind: 'command', commandId: 'cmd-1', command: 'submit', aggregateId: 'app-1' },
  { i: 2, t: 1, kind: 'sql', actor: 'relay', sql: "update outbox.messages set status = 'sent', sent_at = $2 where id = any($1::bigint[])", params: [[1], 1], rows: 1 },
  { i: 3, t: 2, kind: 'publish', actor: 'relay', messageId: 'evt-1', routingKey: 'application.submitted', outcome: 'confirmed', queues: ['email-queue'] },
  { i: 4, t: 3, kind: 'crash', actor: 'relay', point: 'after-publish' },
];

describe('event log helpers', () => {
  const sentenceOf = sentenceCache(trace, 'outbox');

  it('filters by kind, actor, words of the sentence and the steps already played', () => {
    expect(filterTrace(trace, {}, sentenceOf)).toEqual([0, 1, 2, 3, 4]);
    expect(filterTrace(trace, { kind: 'publish' }, sentenceOf)).toEqual([3]);
    expect(filterTrace(trace, { actor: 'relay' }, sentenceOf)).toEqual([2, 3, 4]);
    expect(filterTrace(trace, { text: 'MARKED sent' }, sentenceOf)).toEqual([2]);
    expect(filterTrace(trace, { actor: 'relay', before: 4 }, sentenceOf)).toEqual([2, 3]);
  });

  it('lists actors and finds an entry among the kept rows', () => {
    expect(actorsIn(trace)).toEqual(['client', 'relay', 'run']);
    expect(positionOf([2, 3, 4], 3)).toBe(1);
    expect(positionOf([2, 3, 4], 1)).toBe(-1);
  });

  it('renders only the rows in view, plus a margin', () => {
    expect(visibleRows(0, 300, 30, 10_000, 2)).toEqual({ first: 0, last: 12 });
    expect(visibleRows(30_000, 300, 30, 10_000, 2)).toEqual({ first: 998, last: 1012 });
    expect(visibleRows(0, 300, 30, 3)).toEqual({ first: 0, last: 2 });
  });
});
