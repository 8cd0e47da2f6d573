import '../styles/views.css';
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type ReactElement, type RefObject } from 'react';
import type { TraceEntry } from '../../sim/trace';
import { actorsIn, filterTrace, positionOf, sentenceCache, visibleRows } from '../derive/event-log';
import { actorLabel, entryActor, TRACE_KINDS } from '../derive/names';

export interface EventLogProps {
  readonly trace: readonly TraceEntry[];
  /** Entries applied so far: the current entry is `cursor - 1`. */
  readonly cursor: number;
  readonly onSelect: (index: number) => void;
  readonly strategyId: string;
}

/** Row height in px; rows are fixed-height so the list can be windowed by arithmetic. */
const ROW_PX = 34;

/** The trace as a filterable list: the screen-reader friendly alternative to the animation. */
export function EventLog({ trace, cursor, onSelect, strategyId }: EventLogProps): ReactElement {
  const [kind, setKind] = useState('');
  const [actor, setActor] = useState('');
  const [text, setText] = useState('');
  const [hideFuture, setHideFuture] = useState(false);
  const sentenceOf = useMemo(() => sentenceCache(trace, strategyId), [trace, trace.length, strategyId]);
  const actors = useMemo(() => actorsIn(trace), [trace, trace.length]);
  const kept = useMemo(
    () => filterTrace(trace, { kind: kind || undefined, actor: actor || undefined, text, before: hideFuture ? cursor : undefined }, sentenceOf),
    [trace, trace.length, kind, actor, text, hideFuture, hideFuture ? cursor : -1, sentenceOf],
  );
  const ids = { kind: useId(), actor: useId(), text: useId(), future: useId() };

  return (
    <section className="ev-root" data-testid="event-log" aria-label="Event log">
      <div className="ev-filters" role="search">
        <label htmlFor={ids.kind}>Kind</label>
        <select id={ids.kind} value={kind} onChange={(e) => setKind(e.target.value)}>
          <option value="">all kinds</option>
          {TRACE_KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <label htmlFor={ids.actor}>Actor</label>
        <select id={ids.actor} value={actor} onChange={(e) => setActor(e.target.value)}>
          <option value="">everyone</option>
          {actors.map((a) => (
            <option key={a} value={a}>
              {actorLabel(a)}
            </option>
          ))}
        </select>
        <label htmlFor={ids.text}>Search</label>
        <input id={ids.text} type="search" value={text} placeholder="evt-12, crashed, relay…" onChange={(e) => setText(e.target.value)} />
        <label className="ev-filters__check" htmlFor={ids.future}>
          <input id={ids.future} type="checkbox" checked={hideFuture} onChange={(e) => setHideFuture(e.target.checked)} /> only steps played
        </label>
        <span className="ev-count" aria-live="polite">
          {kept.length} of {trace.length} entries
        </span>
      </div>
      <WindowedRows trace={trace} kept={kept} cursor={cursor} sentenceOf={sentenceOf} onSelect={onSelect} />
    </section>
  );
}

interface RowsProps {
  readonly trace: readonly TraceEntry[];
  readonly kept: readonly number[];
  readonly cursor: number;
  readonly sentenceOf: (index: number) => string;
  readonly onSelect: (index: number) => void;
}

function WindowedRows({ trace, kept, cursor, sentenceOf, onSelect }: RowsProps): ReactElement {
  const scrollerRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const viewportPx = useViewportHeight(scrollerRef);
  useFollowCursor(scrollerRef, kept, cursor - 1, viewportPx);
  const { first, last } = visibleRows(scrollTop, viewportPx, ROW_PX, kept.length);
  const rows: ReactElement[] = [];
  for (let position = first; position <= last; position++) {
    const index = kept[position]!;
    rows.push(
      <LogRow key={index} entry={trace[index]!} position={position} setSize={kept.length} current={index === cursor - 1} future={index >= cursor}
        sentence={sentenceOf(index)} onSelect={onSelect} />,
    );
  }
  return (
    <div className="ev-scroller" ref={scrollerRef} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} tabIndex={-1}>
      <div role="list" aria-label="Trace entries" className="ev-list" style={{ height: kept.length * ROW_PX }}>
        {rows}
      </div>
    </div>
  );
}

interface RowProps {
  readonly entry: TraceEntry;
  readonly position: number;
  readonly setSize: number;
  readonly current: boolean;
  readonly future: boolean;
  readonly sentence: string;
  readonly onSelect: (index: number) => void;
}

function LogRow({ entry, position, setSize, current, future, sentence, onSelect }: RowProps): ReactElement {
  const classes = `ev-row ev-row--${entry.kind}${current ? ' ev-row--current' : ''}${future ? ' ev-row--future' : ''}`;
  return (
    <div role="listitem" aria-posinset={position + 1} aria-setsize={setSize} className={classes} style={{ top: position * ROW_PX, height: ROW_PX }}
      data-entry={entry.i}>
      <button type="button" className="ev-row__button" onClick={() => onSelect(entry.i)} aria-current={current ? 'step' : undefined}
        aria-label={`${entry.t} ms, ${actorLabel(entryActor(entry))}: ${sentence}${future ? ' (not played yet)' : ''}`}>
        <span className="ev-row__t">{entry.t} ms</span>
        <span className="ev-row__actor">{actorLabel(entryActor(entry))}</span>
        <span className="ev-row__sentence">{sentence}</span>
      </button>
    </div>
  );
}

function useViewportHeight(ref: RefObject<HTMLDivElement | null>): number {
  const [height, setHeight] = useState(480);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setHeight(element.clientHeight || 480);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setHeight(element.clientHeight || 480));
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return height;
}

/** Keeps the current entry in view as the cursor moves; leaves the scroll alone otherwise. */
function useFollowCursor(ref: RefObject<HTMLDivElement | null>, kept: readonly number[], currentIndex: number, viewportPx: number): void {
  useEffect(() => {
    const element = ref.current;
    if (!element || currentIndex < 0) return;
    const position = positionOf(kept, currentIndex);
    if (position < 0) return;
    const rowTop = position * ROW_PX;
    if (rowTop >= element.scrollTop && rowTop + ROW_PX <= element.scrollTop + viewportPx) return;
    element.scrollTop = Math.max(0, rowTop - viewportPx / 2 + ROW_PX / 2);
  }, [ref, kept, currentIndex, viewportPx]);
}
