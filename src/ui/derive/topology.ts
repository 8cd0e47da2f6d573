import { CONSUMER_IDS, consumerActor, consumerQueue, type ConsumerId } from '../../infra/consumers';
import type { TraceEntry } from '../../sim/trace';
import { findStrategy } from '../../strategies';
import type { CrashPoint } from '../../strategies/strategy';
import { crashPointsFor, servicesPerformedBy } from './crash-points';
import { actorLabel, BROKER_NODE, CLIENT_NODE, POSTGRES_NODE } from './names';

export type NodeKind = 'client' | 'api' | 'postgres' | 'worker' | 'broker' | 'queue' | 'service';

export interface TopologyNode {
  readonly id: string;
  readonly kind: NodeKind;
  readonly label: string;
}

export interface EdgeCrashPoint {
  readonly id: string;
  readonly description: string;
  /** A few words for the marker: its edge already says whose point it is (`email-poller-after-fetch` → "fetch"). */
  readonly label: string;
}

export interface TopologyEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly label?: string;
  readonly crashPoints: readonly EdgeCrashPoint[];
}

/** The run's fixed shape: who talks to whom. Only activity, details and tokens change along the trace. */
export interface Topology {
  readonly nodes: readonly TopologyNode[];
  readonly edges: readonly TopologyEdge[];
  /** Background actors of the strategy (relays, pollers, outbox workers, coordinator). */
  readonly workers: readonly string[];
  /** Subscribed services, in the engine's order. */
  readonly services: readonly ConsumerId[];
  /** Services that consume from a broker queue (the rest are called by the strategy's workers). */
  readonly brokered: readonly ConsumerId[];
}

export const edgeId = (source: string, target: string): string => `${source}->${target}`;
export const serviceNode = (service: string): string => consumerActor(service as ConsumerId);

const cache = new WeakMap<readonly TraceEntry[], { length: number; strategyId: string; topology: Topology }>();

/** The topology of a run, from the whole trace (so nodes do not come and go while stepping); cached per trace. */
export function topologyOf(trace: readonly TraceEntry[], strategyId: string): Topology {
  const cached = cache.get(trace);
  if (cached && cached.length === trace.length && cached.strategyId === strategyId) return cached.topology;
  const topology = buildTopology(trace, strategyId);
  cache.set(trace, { length: trace.length, strategyId, topology });
  return topology;
}

function buildTopology(trace: readonly TraceEntry[], strategyId: string): Topology {
  const services = servicesIn(trace);
  const performed = servicesPerformedBy(strategyId);
  const brokered = services.filter((service) => !performed.includes(service));
  const workers = workersOf(trace, strategyId, services);
  const nodes: TopologyNode[] = [
    { id: CLIENT_NODE, kind: 'client', label: 'Client' },
    { id: 'api', kind: 'api', label: 'API handler' },
    { id: POSTGRES_NODE, kind: 'postgres', label: 'Postgres' },
    ...workers.map((id): TopologyNode => ({ id, kind: 'worker', label: actorLabel(id) })),
    ...(brokered.length > 0 ? [{ id: BROKER_NODE, kind: 'broker' as const, label: 'Exchange' }] : []),
    ...brokered.map((service): TopologyNode => ({ id: consumerQueue(service), kind: 'queue', label: `${service} queue` })),
    ...services.map((service): TopologyNode => ({ id: serviceNode(service), kind: 'service', label: actorLabel(serviceNode(service)) })),
  ];
  const links = linksOf(strategyId, workers, services, brokered);
  const edges = placeCrashPoints(links, crashPointsFor(strategyId), workers);
  return { nodes, edges, workers, services, brokered };
}

/** Services the run subscribes, as far as the trace shows; every service when it shows none. */
function servicesIn(trace: readonly TraceEntry[]): ConsumerId[] {
  const seen = new Set<string>();
  for (const entry of trace) {
    if (entry.kind === 'commit') for (const key of entry.expects) seen.add(key.slice(0, key.indexOf(':')));
    else if (entry.kind === 'effect') seen.add(entry.consumer);
    else if (entry.kind === 'activity' || entry.kind === 'restart') seen.add(entry.actor.replace(/-(service|poller)$/, ''));
  }
  const services = CONSUMER_IDS.filter((id) => seen.has(id));
  return services.length > 0 ? services : [...CONSUMER_IDS];
}

/** The strategy's background actors for the run's options, plus any other actor the trace shows crashing or working. */
function workersOf(trace: readonly TraceEntry[], strategyId: string, services: readonly ConsumerId[]): string[] {
  const strategy = findStrategy(strategyId);
  const start = trace[0]?.kind === 'run-start' ? trace[0] : undefined;
  let declared: string[] = [];
  try {
    const options = start?.strategy === strategyId ? start.options : strategy?.options.parse({});
    declared = strategy ? strategy.actorIds(options, services) : [];
  } catch {
    declared = [];
  }
  const known = new Set<string>([...declared, 'api', POSTGRES_NODE, ...services.map(serviceNode), ...CONSUMER_IDS.map(serviceNode)]);
  const extra = new Set<string>();
  for (const entry of trace) {
    if ((entry.kind === 'crash' || entry.kind === 'activity' || entry.kind === 'restart') && !known.has(entry.actor)) extra.add(entry.actor);
  }
  return [...declared, ...extra];
}

type Link = Omit<TopologyEdge, 'crashPoints'>;
const link = (source: string, target: string, label?: string): Link => ({ id: edgeId(source, target), source, target, ...(label ? { label } : {}) });

function linksOf(strategyId: string, workers: readonly string[], services: readonly ConsumerId[], brokered: readonly ConsumerId[]): Link[] {
  const hasBroker = brokered.length > 0;
  const links: Link[] = [link(CLIENT_NODE, 'api', 'commands'), link('api', POSTGRES_NODE, strategyId === 'two-phase-commit' ? 'prepare' : 'commit')];
  if (strategyId === 'direct-publish' && hasBroker) links.push(link('api', BROKER_NODE, 'publish'));
  for (const worker of workers) links.push(...workerLinks(strategyId, worker, services, hasBroker));
  for (const service of brokered) {
    // Unlabelled: the bindings (application.approved, #) do not fit between the columns.
    links.push(link(BROKER_NODE, consumerQueue(service)));
    links.push(link(consumerQueue(service), serviceNode(service), 'deliver'));
  }
  return links;
}

function workerLinks(strategyId: string, worker: string, services: readonly ConsumerId[], hasBroker: boolean): Link[] {
  switch (strategyId) {
    case 'outbox':
      return [link(POSTGRES_NODE, worker, 'poll'), ...(hasBroker ? [link(worker, BROKER_NODE, 'publish')] : [])];
    case 'poller': {
      const service = services.find((id) => worker === `${id}-poller`);
      return [link(POSTGRES_NODE, worker, 'read'), ...(service ? [link(worker, serviceNode(service), 'call')] : [])];
    }
    case 'process-manager': {
      const called = services.filter((id) => servicesPerformedBy(strategyId).includes(id));
      return [
        link(POSTGRES_NODE, worker, 'lease'),
        ...called.map((id) => link(worker, serviceNode(id), 'call')),
        ...(hasBroker ? [link(worker, BROKER_NODE, 'publish')] : []),
      ];
    }
    case 'two-phase-commit':
      return [link(POSTGRES_NODE, worker, 'resolve'), ...(hasBroker ? [link(worker, BROKER_NODE, 'stage')] : [])];
    default:
      return [link(POSTGRES_NODE, worker)];
  }
}

/**
 * Puts each crash point on the edge where its actor stands when it dies there: publishing points
 * on the way to the broker, effect points on the way to a service, the rest on the actor's way
 * to Postgres. A point of a pool sits on its first member's edges (one marker arms it for all).
 * Points whose actor has no edge in this run (a service the strategy calls itself) are left out.
 */
function placeCrashPoints(links: readonly Link[], points: readonly CrashPoint[], workers: readonly string[]): TopologyEdge[] {
  const placed = new Map<string, EdgeCrashPoint[]>(links.map((l) => [l.id, []]));
  const has = (id: string) => placed.has(id);
  for (const point of points) {
    const target = edgeForPoint(point, links, workers, has);
    if (target) placed.get(target)!.push({ id: point.id, description: point.description, label: crashPointLabel(point.id) });
  }
  return links.map((l) => ({ ...l, crashPoints: placed.get(l.id) ?? [] }));
}

export function crashPointLabel(pointId: string): string {
  return pointId
    .replace(/^(email|entitlement|analytics)(-poller)?-/, '')
    .replace(/^after-/, '')
    .replace(/-after-/, ' ')
    .replace(/-/g, ' ');
}

function edgeForPoint(point: CrashPoint, links: readonly Link[], workers: readonly string[], has: (id: string) => boolean): string | undefined {
  const { actor, id } = point;
  const towardsBroker = /publish|broker|all-prepared/.test(id);
  if (actor === 'api') return towardsBroker && has(edgeId('api', BROKER_NODE)) ? edgeId('api', BROKER_NODE) : edgeId('api', POSTGRES_NODE);
  if (actor.endsWith('-service')) {
    const delivering = links.find((l) => l.target === actor && l.source !== BROKER_NODE && !workers.includes(l.source));
    return delivering?.id;
  }
  if (towardsBroker && has(edgeId(actor, BROKER_NODE))) return edgeId(actor, BROKER_NODE);
  if (/effect/.test(id)) {
    const call = links.find((l) => l.source === actor && l.target !== BROKER_NODE) ?? links.find((l) => l.source === actor);
    if (call) return call.id;
  }
  if (has(edgeId(POSTGRES_NODE, actor))) return edgeId(POSTGRES_NODE, actor);
  return links.find((l) => l.source === actor || l.target === actor)?.id;
}
