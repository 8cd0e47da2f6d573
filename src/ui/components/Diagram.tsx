import '@xyflow/react/dist/style.css';
import '../styles/views.css';
import {
  BaseEdge, Controls, EdgeLabelRenderer, getStraightPath, Handle, MarkerType, Position, ReactFlow, ReactFlowProvider, useReactFlow, ViewportPortal,
  type Edge, type EdgeProps, type Node, type NodeProps,
} from '@xyflow/react';
import { createContext, memo, useContext, useEffect, useMemo, useRef, type ReactElement, type RefObject } from 'react';
import type { DiagramCrashPoint, DiagramEdge, DiagramNode, DiagramState, NodeActivity, Token } from '../derive/diagram';
import { layoutDiagram, NODE_HEIGHT_PX, NODE_WIDTH_PX, type Point } from '../derive/layout';

export interface DiagramProps {
  readonly state: DiagramState;
  readonly armedPoints: readonly string[];
  readonly onCrashPointClick: (pointId: string) => void;
  readonly onActorClick: (nodeId: string) => void;
  readonly onTokenClick: (token: Token) => void;
  /** The key of the token whose details are shown. */
  readonly selectedToken?: string;
}

/** The flow of a run: actors as nodes with their lifecycle, crash points on edges, messages as tokens. */
export function Diagram(props: DiagramProps): ReactElement {
  return (
    <ReactFlowProvider>
      <DiagramCanvas {...props} />
    </ReactFlowProvider>
  );
}

interface DiagramActions {
  readonly armed: ReadonlySet<string>;
  readonly onCrashPointClick: (pointId: string) => void;
  readonly onActorClick: (nodeId: string) => void;
}

const ActionsContext = createContext<DiagramActions>({ armed: new Set(), onCrashPointClick: () => {}, onActorClick: () => {} });

type ActorNodeType = Node<{ node: DiagramNode }, 'actor'>;
type FlowEdgeType = Edge<{ edge: DiagramEdge }, 'flow'>;

const nodeTypes = { actor: memo(ActorNode) };
const edgeTypes = { flow: memo(FlowEdge) };

function DiagramCanvas({ state, armedPoints, onCrashPointClick, onActorClick, onTokenClick, selectedToken }: DiagramProps): ReactElement {
  const shapeKey = state.nodes.map((n) => n.id).join(' ') + '|' + state.edges.map((e) => e.id).join(' ');
  // The layout depends only on the run's shape, so nodes keep their places while the state changes.
  const positions = useMemo(() => layoutDiagram(state.nodes, state.edges), [shapeKey]);
  const nodes = useStableList(state.nodes, sameNode, (node) => toFlowNode(node, positions), positions);
  const edges = useStableList(state.edges, sameEdge, toFlowEdge, positions);
  const actions = useMemo(
    () => ({ armed: new Set(armedPoints), onCrashPointClick, onActorClick }),
    [armedPoints, onCrashPointClick, onActorClick],
  );
  const rootRef = useRef<HTMLDivElement>(null);
  useFitViewOnShapeAndResize(rootRef, shapeKey);

  return (
    <ActionsContext.Provider value={actions}>
      <div className="dg-root" ref={rootRef} aria-label="Diagram of the run: actors, queues and messages in flight" role="figure">
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          fitView
          fitViewOptions={FIT_VIEW_OPTIONS}
          minZoom={0.2}
          maxZoom={2}
          nodesDraggable={false}
          nodesConnectable={false}
          nodesFocusable={false}
          edgesFocusable={false}
          elementsSelectable={false}
          zoomOnScroll={false}
          preventScrolling={false}
        >
          <Controls showInteractive={false} />
          <ViewportPortal>
            <TokenLayer tokens={state.tokens} edges={state.edges} positions={positions} onTokenClick={onTokenClick} selectedToken={selectedToken} />
          </ViewportPortal>
        </ReactFlow>
      </div>
    </ActionsContext.Provider>
  );
}

/** Room at the borders for the crash markers that hang above and below the outer rows. */
const FIT_VIEW_OPTIONS = { padding: 0.1 } as const;

/** Fit the whole run in view when it changes shape (another strategy) and when the panel is resized (a projector). */
function useFitViewOnShapeAndResize(rootRef: RefObject<HTMLDivElement | null>, shapeKey: string): void {
  const flow = useReactFlow();
  useEffect(() => {
    const frame = requestAnimationFrame(() => void flow.fitView(FIT_VIEW_OPTIONS));
    return () => cancelAnimationFrame(frame);
  }, [flow, shapeKey]);
  useEffect(() => {
    const root = rootRef.current;
    if (!root || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => void flow.fitView(FIT_VIEW_OPTIONS));
    observer.observe(root);
    return () => observer.disconnect();
  }, [flow, rootRef]);
}

/**
 * Maps a list to React Flow items, reusing the previous item for every element that did not
 * change and the previous array when none did: a step usually changes one or two nodes, and
 * React Flow then re-renders only those.
 */
function useStableList<T extends { id: string }, U>(items: readonly T[], same: (a: T, b: T) => boolean, make: (item: T) => U, resetKey: unknown): U[] {
  const previous = useRef<{ resetKey: unknown; items: Map<string, { item: T; made: U }>; list: U[] }>({ resetKey, items: new Map(), list: [] });
  return useMemo(() => {
    const before = previous.current.resetKey === resetKey ? previous.current : { items: new Map<string, { item: T; made: U }>(), list: [] as U[] };
    let changed = items.length !== before.list.length;
    const next = new Map<string, { item: T; made: U }>();
    const list = items.map((item) => {
      const old = before.items.get(item.id);
      const reused = old && same(old.item, item) ? old : { item, made: make(item) };
      if (reused !== old) changed = true;
      next.set(item.id, reused);
      return reused.made;
    });
    previous.current = { resetKey, items: next, list: changed ? list : before.list };
    return previous.current.list;
  }, [items, resetKey]);
}

function sameNode(a: DiagramNode, b: DiagramNode): boolean {
  return a.activity === b.activity && a.detail === b.detail && a.label === b.label && a.kind === b.kind;
}

function sameEdge(a: DiagramEdge, b: DiagramEdge): boolean {
  return a.source === b.source && a.target === b.target && a.label === b.label && a.crashPoints.length === b.crashPoints.length &&
    a.crashPoints.every((point, i) => point.id === b.crashPoints[i]!.id && point.fired === b.crashPoints[i]!.fired);
}

function toFlowNode(node: DiagramNode, positions: Record<string, Point>): ActorNodeType {
  return {
    id: node.id,
    type: 'actor',
    position: positions[node.id] ?? { x: 0, y: 0 },
    data: { node },
    width: NODE_WIDTH_PX,
    height: NODE_HEIGHT_PX,
    draggable: false,
    selectable: false,
    connectable: false,
  };
}

function toFlowEdge(edge: DiagramEdge): FlowEdgeType {
  return { id: edge.id, source: edge.source, target: edge.target, type: 'flow', data: { edge }, markerEnd: { type: MarkerType.ArrowClosed } };
}

// ─── Nodes ─────────────────────────────────────────────────────────────────────────────────

/** Every activity has a word and a symbol, so state never rests on colour alone. */
export const ACTIVITY_BADGES: Record<NodeActivity, { readonly symbol: string; readonly text: string }> = {
  idle: { symbol: '○', text: 'idle' },
  working: { symbol: '●', text: 'working' },
  'backing-off': { symbol: '↻', text: 'backing off' },
  waiting: { symbol: '…', text: 'waiting' },
  blocked: { symbol: '⊘', text: 'blocked' },
  crashed: { symbol: '✖', text: 'crashed' },
  down: { symbol: '▼', text: 'down' },
};

function ActorNode({ data }: NodeProps<ActorNodeType>): ReactElement {
  const { node } = data;
  const { onActorClick } = useContext(ActionsContext);
  const badge = ACTIVITY_BADGES[node.activity];
  return (
    <div className={`dg-node dg-node--${node.kind} dg-activity--${node.activity}`} data-testid={`node-${node.id}`} data-activity={node.activity}>
      <Handle type="target" position={Position.Left} isConnectable={false} className="dg-handle" />
      <button
        type="button"
        className="dg-node__body"
        onClick={() => onActorClick(node.id)}
        aria-label={`${node.label}: ${badge.text}${node.detail ? `, ${node.detail}` : ''}`}
      >
        <span className="dg-node__label">{node.label}</span>
        <span className={`dg-badge dg-badge--${node.activity}`} aria-hidden="true">
          <span className="dg-badge__symbol">{badge.symbol}</span> {badge.text}
        </span>
        {node.detail ? (
          <span className="dg-node__detail" aria-hidden="true">
            {node.detail}
          </span>
        ) : null}
      </button>
      <Handle type="source" position={Position.Right} isConnectable={false} className="dg-handle" />
    </div>
  );
}

// ─── Edges and crash points ────────────────────────────────────────────────────────────────

/** Where along an edge its label sits (tokens use the rest of the line). */
const LABEL_AT = 0.5;
const MARKER_GAP_PX = 6;

/**
 * Where an edge's crash markers hang, in the free space around the nodes rather than over them:
 * below the row for an edge between nodes of one row, above the source node for an edge that
 * climbs to the row above, below it for one that falls. `sourceX/Y` is the source node's right middle.
 */
function markerPlacement(sourceX: number, sourceY: number, targetX: number, targetY: number): { at: Point; above: boolean } {
  const rise = targetY - sourceY;
  const sourceCentreX = sourceX - NODE_WIDTH_PX / 2;
  if (rise < -NODE_HEIGHT_PX / 4) return { at: { x: sourceCentreX, y: sourceY - NODE_HEIGHT_PX / 2 - MARKER_GAP_PX }, above: true };
  if (rise > NODE_HEIGHT_PX / 4) return { at: { x: sourceCentreX, y: sourceY + NODE_HEIGHT_PX / 2 + MARKER_GAP_PX }, above: false };
  return { at: { x: (sourceX + targetX) / 2, y: (sourceY + targetY) / 2 + NODE_HEIGHT_PX / 2 + MARKER_GAP_PX }, above: false };
}

function FlowEdge({ id, sourceX, sourceY, targetX, targetY, data, markerEnd }: EdgeProps<FlowEdgeType>): ReactElement {
  const [path] = getStraightPath({ sourceX, sourceY, targetX, targetY });
  const edge = data?.edge;
  const along = (t: number) => ({ x: sourceX + (targetX - sourceX) * t, y: sourceY + (targetY - sourceY) * t });
  const label = along(LABEL_AT);
  const markers = markerPlacement(sourceX, sourceY, targetX, targetY);
  return (
    <>
      <BaseEdge id={id} path={path} {...(markerEnd ? { markerEnd } : {})} className="dg-edge" />
      <EdgeLabelRenderer>
        {edge?.label ? (
          <div className="dg-edge-label" style={{ transform: `translate(-50%, -130%) translate(${label.x}px, ${label.y}px)` }}>
            {edge.label}
          </div>
        ) : null}
        {edge && edge.crashPoints.length > 0 ? (
          <div className="dg-crash-points nodrag nopan" style={{ transform: `translate(-50%, ${markers.above ? '-100%' : '0'}) translate(${markers.at.x}px, ${markers.at.y}px)` }}>
            {edge.crashPoints.map((point) => (
              <CrashMarker key={point.id} point={point} />
            ))}
          </div>
        ) : null}
      </EdgeLabelRenderer>
    </>
  );
}

function CrashMarker({ point }: { point: DiagramCrashPoint }): ReactElement {
  const { armed, onCrashPointClick } = useContext(ActionsContext);
  const isArmed = armed.has(point.id);
  const state = point.fired ? ' dg-crash--fired' : isArmed ? ' dg-crash--armed' : '';
  return (
    <button
      type="button"
      className={`dg-crash${state}`}
      data-testid={`crash-point-${point.id}`}
      aria-label={`Arm crash point ${point.id}`}
      aria-pressed={isArmed}
      aria-description={point.description}
      title={`${point.id}: ${point.description}${point.fired ? ' (an actor crashed here)' : ''}`}
      onClick={() => onCrashPointClick(point.id)}
    >
      <span aria-hidden="true">{point.fired ? '✖' : isArmed ? '⚡' : '↯'}</span> {point.label}
    </button>
  );
}

// ─── Tokens ────────────────────────────────────────────────────────────────────────────────

/** Tokens drawn per edge at most: a queue of a thousand shows its head and a count, not a thousand dots. */
const TOKENS_PER_EDGE_MAX = 24;

interface TokenLayerProps {
  readonly tokens: readonly Token[];
  readonly edges: readonly DiagramEdge[];
  readonly positions: Record<string, Point>;
  readonly onTokenClick: (token: Token) => void;
  readonly selectedToken: string | undefined;
}

/**
 * All tokens in one layer in flow coordinates, keyed by message instance, so a message that
 * moves from one edge to the next keeps its element and glides there (a CSS transition).
 */
function TokenLayer({ tokens, edges, positions, onTokenClick, selectedToken }: TokenLayerProps): ReactElement {
  const ends = useMemo(() => new Map(edges.map((e) => [e.id, edgeEnds(e, positions)])), [edges, positions]);
  const { shown, overflow } = useMemo(() => capPerEdge(tokens), [tokens]);
  return (
    <div className="dg-tokens">
      {shown.map((token) => {
        const line = ends.get(token.edgeId);
        if (!line) return null;
        const at = { x: line.from.x + (line.to.x - line.from.x) * token.progress, y: line.from.y + (line.to.y - line.from.y) * token.progress };
        return <TokenDot key={token.key} token={token} at={at} selected={token.key === selectedToken} onClick={onTokenClick} />;
      })}
      {[...overflow].map(([edgeId, count]) => {
        const line = ends.get(edgeId);
        if (!line) return null;
        const at = { x: line.from.x + (line.to.x - line.from.x) * 0.1, y: line.from.y + (line.to.y - line.from.y) * 0.1 };
        return (
          <span key={`more-${edgeId}`} className="dg-token-more" style={{ transform: `translate(${at.x}px, ${at.y}px) translate(-50%, -160%)` }}>
            +{count}
          </span>
        );
      })}
    </div>
  );
}

interface TokenDotProps {
  readonly token: Token;
  readonly at: Point;
  readonly selected: boolean;
  readonly onClick: (token: Token) => void;
}

function TokenDotView({ token, at, selected, onClick }: TokenDotProps): ReactElement {
  const summary = tokenSummary(token);
  return (
    <div className={`dg-token-wrap${selected ? ' dg-token-wrap--selected' : ''}`} style={{ transform: `translate(${at.x}px, ${at.y}px)` }}>
      <button
        type="button"
        className={`dg-token${token.attempts > 1 ? ' dg-token--retried' : ''}`}
        data-testid={`token-${token.messageId}`}
        aria-label={`Message ${summary}`}
        aria-expanded={selected}
        title={summary}
        onClick={() => onClick(token)}
      >
        {shortId(token.messageId)}
      </button>
      {selected ? (
        <div className="dg-token-popover" role="dialog" aria-label={`Message ${token.messageId}`}>
          <dl>
            <dt>id</dt>
            <dd>{token.messageId}</dd>
            {token.type ? (
              <>
                <dt>type</dt>
                <dd>{token.type}</dd>
              </>
            ) : null}
            {token.aggregateId ? (
              <>
                <dt>aggregate</dt>
                <dd>{token.aggregateId}</dd>
              </>
            ) : null}
            <dt>attempts</dt>
            <dd>{token.attempts}</dd>
            <dt>where</dt>
            <dd>{token.edgeId.replace('->', ' → ')}</dd>
          </dl>
        </div>
      ) : null}
    </div>
  );
}

/** Tokens are new objects every step; most stand still, and those need not re-render. */
const TokenDot = memo(TokenDotView, (a: TokenDotProps, b: TokenDotProps) =>
  a.selected === b.selected && a.onClick === b.onClick && a.at.x === b.at.x && a.at.y === b.at.y &&
  a.token.messageId === b.token.messageId && a.token.attempts === b.token.attempts && a.token.type === b.token.type &&
  a.token.aggregateId === b.token.aggregateId && a.token.edgeId === b.token.edgeId);

function tokenSummary(token: Token): string {
  const parts = [token.messageId, token.type, token.aggregateId && `for ${token.aggregateId}`, `${token.attempts} ${token.attempts === 1 ? 'attempt' : 'attempts'}`];
  return parts.filter(Boolean).join(', ');
}

/** `evt-12` → `12`, `cmd-3` → `c3`: a dot has room for a few characters. */
function shortId(messageId: string): string {
  const event = /^evt-(\d+)$/.exec(messageId);
  if (event) return event[1]!;
  const command = /^cmd-(\d+)$/.exec(messageId);
  if (command) return `c${command[1]}`;
  return messageId.length <= 4 ? messageId : `${messageId.slice(0, 3)}…`;
}

function edgeEnds(edge: DiagramEdge, positions: Record<string, Point>): { from: Point; to: Point } | undefined {
  const source = positions[edge.source];
  const target = positions[edge.target];
  if (!source || !target) return undefined;
  return {
    from: { x: source.x + NODE_WIDTH_PX, y: source.y + NODE_HEIGHT_PX / 2 },
    to: { x: target.x, y: target.y + NODE_HEIGHT_PX / 2 },
  };
}

function capPerEdge(tokens: readonly Token[]): { shown: Token[]; overflow: Map<string, number> } {
  const perEdge = new Map<string, number>();
  const overflow = new Map<string, number>();
  const shown: Token[] = [];
  // Tokens nearest their edge's target come first: the head of a queue is what matters.
  for (const token of [...tokens].sort((a, b) => b.progress - a.progress)) {
    const count = perEdge.get(token.edgeId) ?? 0;
    perEdge.set(token.edgeId, count + 1);
    if (count < TOKENS_PER_EDGE_MAX) shown.push(token);
    else overflow.set(token.edgeId, (overflow.get(token.edgeId) ?? 0) + 1);
  }
  // A stable DOM order: moving an element in the DOM would cut its glide short.
  shown.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { shown, overflow };
}
