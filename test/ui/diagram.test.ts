import { describe, expect, it } from 'vitest';
import type { TraceEntry } from '../../src/sim/trace';
import { STRATEGY_IDS } from '../../src/strategies/strategy';
import { diagramAt, type DiagramState } from '../../src/ui/derive/diagram';
import { useWorld } from '../support/world';
import { runScenarioFile } from './scenario-traces';

const world = useWorld();

const nodeOf = (state: DiagramState, id: string) => {
  const node = state.nodes.find((n) => n.id === id);
  if (!node) throw new Error(`no node ${id} in ${state.nodes.map((n) => n.id).join(', ')}`);
  return node;
};
const indexOf = (trace: readonly TraceEntry[], predicate: (e: TraceEntry) => boolean, from = 0) => {
  const index = trace.findIndex((e, i) => i >= from && predicate(e));
  if (index < 0) throw new Error('entry not found');
  return index;
};
/** The cursor right after entry `index` has been applied. */
const after = (index: number) => index + 1;

describe('diagramAt: the layout of each strategy', () => {
  const expectedNodes: Record<(typeof STRATEGY_IDS)[number], string[]> = {
    outbox: ['client', 'api', 'postgres', 'relay', 'broker', 'email-queue', 'entitlement-queue', 'analytics-queue', 'email-service', 'entitlement-service', 'analytics-service'],
    'direct-publish': ['client', 'api', 'postgres', 'broker', 'email-queue', 'entitlement-queue', 'analytics-queue', 'email-service', 'entitlement-service', 'analytics-service'],
    poller: ['client', 'api', 'postgres', 'email-poller', 'entitlement-poller', 'analytics-poller', 'email-service', 'entitlement-service', 'analytics-service'],
    'process-manager': ['client', 'api', 'postgres', 'outbox-worker-1', 'outbox-worker-2', 'broker', 'analytics-queue', 'email-service', 'entitlement-service', 'analytics-service'],
    'two-phase-commit': ['client', 'api', 'postgres', 'coordinator', 'broker', 'email-queue', 'entitlement-queue', 'analytics-queue', 'email-service', 'entitlement-service', 'analytics-service'],
  };

  for (const strategy of STRATEGY_IDS) {
    it(`${strategy}: client → api → postgres → workers → broker → queues → services`, async () => {
      const { trace } = await world.run({ strategy, seed: 5, workload: { commands: 6, interval: 50 } });
      const state = diagramAt(trace, 0, strategy);
      expect(state.nodes.map((n) => n.id)).toEqual(expectedNodes[strategy]);
      expect(state.nodes.every((n) => n.activity === 'idle')).toBe(true);
      expect(state.tokens).toEqual([]);
      const pointIds = state.edges.flatMap((e) => e.crashPoints.map((p) => p.id));
      expect(new Set(pointIds).size, 'each crash point has one marker').toBe(pointIds.length);
      for (const edge of state.edges) {
        expect(state.nodes.some((n) => n.id === edge.source) && state.nodes.some((n) => n.id === edge.target)).toBe(true);
      }
    });
  }

  it('puts crash points on the edges where they sit', async () => {
    const { trace } = await world.run({ strategy: 'outbox', seed: 5, workload: { commands: 2 } });
    const pointsOn = (edgeId: string) => diagramAt(trace, 0, 'outbox').edges.find((e) => e.id === edgeId)?.crashPoints.map((p) => p.id);
    expect(pointsOn('api->postgres')).toEqual(['after-commit']);
    expect(pointsOn('relay->broker')).toEqual(['after-publish']);
    expect(pointsOn('postgres->relay')).toEqual(['after-fetch', 'after-mark-sent', 'after-retry-scheduled']);
    expect(pointsOn('email-queue->email-service')).toEqual(['email-after-effect']);
  });

  it('draws one relay per relay the options start', async () => {
    const { trace } = await runScenarioFile(world, 'outbox-stateless-relays');
    const workers = diagramAt(trace, 0, 'outbox').nodes.filter((n) => n.kind === 'worker').map((n) => n.id);
    expect(workers).toEqual(expect.arrayContaining(['relay', 'relay-2']));
  });
});

describe('diagramAt: lifecycles and tokens along a real trace', () => {
  it('a crashed relay shows crashed, with its crash point fired, until its restart entry', async () => {
    const { trace } = await runScenarioFile(world, 'outbox-crash-after-publish');
    const crash = indexOf(trace, (e) => e.kind === 'crash' && e.actor === 'relay');
    const restart = indexOf(trace, (e) => e.kind === 'restart' && e.actor === 'relay', crash);
    expect(nodeOf(diagramAt(trace, crash, 'outbox'), 'relay').activity).not.toBe('crashed');
    for (const cursor of [after(crash), restart]) {
      const state = diagramAt(trace, cursor, 'outbox');
      expect(nodeOf(state, 'relay')).toMatchObject({ activity: 'crashed', detail: 'at after-publish' });
      expect(state.edges.find((e) => e.id === 'relay->broker')?.crashPoints).toEqual([expect.objectContaining({ id: 'after-publish', fired: true })]);
    }
    expect(nodeOf(diagramAt(trace, after(restart), 'outbox'), 'relay').activity).not.toBe('crashed');
  });

  it('a message is a token between exchange and queue after its publish, on the way to the service once delivered, gone after the ack', async () => {
    const { trace } = await runScenarioFile(world, 'outbox-crash-after-publish');
    const publish = indexOf(trace, (e) => e.kind === 'publish' && e.messageId === 'evt-1');
    const deliver = indexOf(trace, (e) => e.kind === 'deliver' && e.messageId === 'evt-1' && e.queue === 'email-queue');
    const ack = indexOf(trace, (e) => e.kind === 'ack' && e.messageId === 'evt-1' && e.consumer === 'email-service');
    const tokensOf = (cursor: number) => diagramAt(trace, cursor, 'outbox').tokens.filter((t) => t.messageId === 'evt-1' && t.edgeId.includes('email'));

    expect(tokensOf(publish)).toEqual([]);
    expect(tokensOf(after(publish))).toEqual([
      expect.objectContaining({ edgeId: 'broker->email-queue', type: 'ApplicationSubmitted', aggregateId: 'app-1', attempts: 0 }),
    ]);
    const [delivered] = tokensOf(after(deliver));
    expect(delivered).toMatchObject({ edgeId: 'email-queue->email-service', attempts: 1 });
    expect(delivered!.key).toBe(tokensOf(after(publish))[0]!.key);
    expect(tokensOf(after(ack)).filter((t) => t.key === delivered!.key)).toEqual([]);
  });

  it('the broker node is down during a broker outage, and the outbox backs up in Postgres', async () => {
    const { trace } = await runScenarioFile(world, 'outbox-broker-outage');
    const down = indexOf(trace, (e) => e.kind === 'fault' && e.fault === 'broker-down' && e.state === 'on');
    const up = indexOf(trace, (e) => e.kind === 'fault' && e.fault === 'broker-down' && e.state === 'off');
    expect(nodeOf(diagramAt(trace, down, 'outbox'), 'broker').activity).not.toBe('down');
    const during = diagramAt(trace, up, 'outbox');
    expect(nodeOf(during, 'broker')).toMatchObject({ activity: 'down', detail: 'refusing publishes' });
    expect(nodeOf(during, 'email-queue').activity).toBe('down');
    expect(nodeOf(during, 'postgres').detail).toMatch(/^[1-9]\d* pending rows?$/);
    expect(nodeOf(diagramAt(trace, after(up), 'outbox'), 'broker').activity).not.toBe('down');
    expect(nodeOf(diagramAt(trace, trace.length, 'outbox'), 'postgres').detail).toBe('0 pending rows');
  });

  it('two-phase commit: the coordinator is down and the next command on the application is blocked', async () => {
    const { trace } = await runScenarioFile(world, 'two-phase-commit-coordinator-in-doubt');
    const blocked = indexOf(trace, (e) => e.kind === 'blocked');
    const state = diagramAt(trace, after(blocked), 'two-phase-commit');
    expect(nodeOf(state, 'coordinator').activity).toBe('crashed');
    expect(nodeOf(state, 'api')).toMatchObject({ activity: 'blocked', detail: 'cmd-5 waits for app-1' });
    expect(nodeOf(state, 'postgres').detail).toBe('1 prepared');
    const unblocked = indexOf(trace, (e) => e.kind === 'unblocked');
    expect(nodeOf(diagramAt(trace, after(unblocked), 'two-phase-commit'), 'api').activity).not.toBe('blocked');
  });

  it('process manager: a direct service call shows as a token from the worker that made it', async () => {
    const { trace } = await runScenarioFile(world, 'process-manager-worker-crash');
    const effect = indexOf(trace, (e) => e.kind === 'effect' && e.consumer === 'email');
    const tokens = diagramAt(trace, after(effect), 'process-manager').tokens.filter((t) => t.edgeId.endsWith('->email-service'));
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens[0]!.edgeId).toMatch(/^outbox-worker-\d->email-service$/);
  });

  it('playing forward on the same trace gives the same states as computing each from scratch', async () => {
    const { trace } = await runScenarioFile(world, 'outbox-crash-after-publish');
    for (let cursor = 0; cursor <= trace.length; cursor += 7) {
      const stepped = diagramAt(trace, cursor, 'outbox');
      if (cursor % 49 === 0) expect(stepped).toEqual(diagramAt([...trace], cursor, 'outbox'));
    }
    expect(diagramAt(trace, 10, 'outbox')).toEqual(diagramAt([...trace], 10, 'outbox'));
  });
});

describe('layoutDiagram', () => {
  it('lays out left to right by kind, queues level with their services, Postgres out of the way of direct publishes', async () => {
    const { layoutDiagram } = await import('../../src/ui/derive/layout');
    const { trace } = await world.run({ strategy: 'direct-publish', seed: 5, workload: { commands: 2 } });
    const { nodes, edges } = diagramAt(trace, 0, 'direct-publish');
    const at = layoutDiagram(nodes, edges);
    expect(at.client!.x).toBeLessThan(at.api!.x);
    expect(at.api!.x).toBeLessThan(at.postgres!.x);
    expect(at.postgres!.x).toBeLessThan(at.broker!.x);
    expect(at['email-queue']!.y).toBe(at['email-service']!.y);
    expect(at.postgres!.y).toBeLessThan(at.api!.y);
    expect(new Set(Object.values(at).map((p) => `${p.x},${p.y}`)).size).toBe(nodes.length);
  });
});
