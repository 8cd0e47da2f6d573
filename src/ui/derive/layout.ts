import type { DiagramEdge, DiagramNode } from './diagram';
import type { NodeKind } from './topology';

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Node boxes have a fixed size, so the token layer can find an edge's ends without measuring the DOM. */
export const NODE_WIDTH_PX = 168;
export const NODE_HEIGHT_PX = 100;
const COLUMN_GAP_PX = 252;
const ROW_GAP_PX = 150;

/** Left to right, the way a command's side effects travel. */
const COLUMN_OF: Record<NodeKind, number> = { client: 0, api: 1, postgres: 2, worker: 3, broker: 4, queue: 5, service: 6 };

/**
 * Top-left positions for the diagram's nodes: one column per kind (empty columns dropped), each
 * queue level with its service, a poller level with the service it calls, the exchange level
 * with the queues it feeds, and Postgres lifted out of the way of an edge that passes its column.
 */
export function layoutDiagram(nodes: readonly DiagramNode[], edges: readonly DiagramEdge[]): Record<string, Point> {
  const columns = [...new Set(nodes.map((n) => COLUMN_OF[n.kind]))].sort((a, b) => a - b);
  const xOf = (kind: NodeKind) => columns.indexOf(COLUMN_OF[kind]) * COLUMN_GAP_PX;
  const centreY = new Map<string, number>();

  const services = nodes.filter((n) => n.kind === 'service');
  spread(services).forEach((y, i) => centreY.set(services[i]!.id, y));
  for (const queue of nodes.filter((n) => n.kind === 'queue')) centreY.set(queue.id, centreY.get(serviceOfQueue(queue.id)) ?? 0);
  placeWorkers(nodes.filter((n) => n.kind === 'worker'), centreY);
  const queueYs = nodes.filter((n) => n.kind === 'queue').map((n) => centreY.get(n.id)!);
  for (const node of nodes) {
    if (centreY.has(node.id)) continue;
    if (node.kind === 'broker') centreY.set(node.id, queueYs.length > 0 ? mean(queueYs) : 0);
    else if (node.kind === 'postgres') centreY.set(node.id, passesOverColumn(edges, nodes, COLUMN_OF.postgres) ? -ROW_GAP_PX : 0);
    else centreY.set(node.id, 0);
  }
  return Object.fromEntries(nodes.map((n) => [n.id, { x: xOf(n.kind), y: centreY.get(n.id)! - NODE_HEIGHT_PX / 2 }]));
}

/** A poller sits level with the service it calls; other workers stack around the middle. */
function placeWorkers(workers: readonly DiagramNode[], centreY: Map<string, number>): void {
  const unaligned = workers.filter((w) => {
    const service = /^(.+)-poller$/.exec(w.id)?.[1];
    const y = service === undefined ? undefined : centreY.get(`${service}-service`);
    if (y !== undefined) centreY.set(w.id, y);
    return y === undefined;
  });
  spread(unaligned).forEach((y, i) => centreY.set(unaligned[i]!.id, y));
}

function spread(items: readonly unknown[]): number[] {
  return items.map((_, i) => (i - (items.length - 1) / 2) * ROW_GAP_PX);
}

function serviceOfQueue(queueId: string): string {
  return `${queueId.replace(/-queue$/, '')}-service`;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

function passesOverColumn(edges: readonly DiagramEdge[], nodes: readonly DiagramNode[], column: number): boolean {
  const columnOf = new Map(nodes.map((n) => [n.id, COLUMN_OF[n.kind]]));
  return edges.some((e) => {
    const from = columnOf.get(e.source) ?? 0;
    const to = columnOf.get(e.target) ?? 0;
    return Math.min(from, to) < column && Math.max(from, to) > column;
  });
}
