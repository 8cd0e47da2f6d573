import '../styles/views.css';
import { useMemo, useRef, type ReactElement } from 'react';
import uPlot from 'uplot';
import type { TraceEntry } from '../../sim/trace';
import { sampleIndexAt, seriesFrom, type Series } from '../derive/series';
import { cssColour, useUPlot, type PlotSize } from './useUPlot';

export interface ChartsProps {
  readonly trace: readonly TraceEntry[];
  /** Entries applied so far: the charts show data up to the cursor's virtual time, on the whole run's time axis. */
  readonly cursor: number;
}

/** Queue lines get these, in order; chosen to stay apart from the accent and from each other in both themes. */
const QUEUE_COLOURS = ['#d97706', '#0d9488', '#9333ea', '#db2777', '#65a30d'];
const PLOT_HEIGHT_PX = 220;
const AXIS_FONT = '15px system-ui, sans-serif';

/** What the decorations need on every redraw; read through a ref so they never rebuild the plot. */
interface Marks {
  readonly faultWindows: Series['faultWindows'];
  readonly crashes: Series['crashes'];
  readonly nowMs: number;
}

export function Charts({ trace, cursor }: ChartsProps): ReactElement {
  const series = useMemo(() => seriesFrom(trace), [trace, trace.length]);
  const nowMs = cursor > 0 ? (trace[Math.min(cursor, trace.length) - 1]?.t ?? 0) : 0;
  const endMs = Math.max(1, series.t.at(-1) ?? 0);
  const marks = useRef<Marks>({ faultWindows: [], crashes: [], nowMs: 0 });
  marks.current = { faultWindows: series.faultWindows, crashes: series.crashes.filter((c) => c.t <= nowMs), nowMs };
  const queues = Object.keys(series.queueDepth).sort();
  const upTo = sampleIndexAt(series.t, nowMs) + 1;
  const latencyUpTo = sampleIndexAt(series.latency.t, nowMs) + 1;

  const backlogData = useMemo(
    (): uPlot.AlignedData => [series.t.slice(0, upTo), series.backlog.slice(0, upTo), ...queues.map((q) => series.queueDepth[q]!.slice(0, upTo))],
    [series, upTo, queues.join()],
  );
  const latencyData = useMemo(
    (): uPlot.AlignedData => [series.latency.t.slice(0, latencyUpTo), series.latency.ms.slice(0, latencyUpTo)],
    [series, latencyUpTo],
  );

  const backlogRef = useUPlot(
    (size) => backlogOptions(size, backlogRef.current, series.backlogLabel, queues, endMs, marks),
    backlogData,
    `backlog|${series.backlogLabel}|${queues.join()}|${endMs}`,
    PLOT_HEIGHT_PX,
  );
  const latencyRef = useUPlot((size) => latencyOptions(size, latencyRef.current, endMs, marks), latencyData, `latency|${endMs}`, PLOT_HEIGHT_PX);

  return (
    <section className="ch-root" aria-label="Charts over virtual time">
      <figure className="ch-figure">
        <figcaption className="ch-caption">Backlog and queue depths</figcaption>
        <div ref={backlogRef} className="ch-plot" role="img" aria-label={backlogSummary(series, upTo, queues, nowMs)} data-testid="chart-backlog" />
      </figure>
      <figure className="ch-figure">
        <figcaption className="ch-caption">Commit → effect latency</figcaption>
        <div ref={latencyRef} className="ch-plot" role="img" aria-label={latencySummary(series, latencyUpTo)} data-testid="chart-latency" />
      </figure>
    </section>
  );
}

function backlogOptions(size: PlotSize, element: Element | null, backlogLabel: string, queues: readonly string[], endMs: number, marks: { current: Marks }): uPlot.Options {
  const stepped = uPlot.paths.stepped?.({ align: 1 });
  return {
    ...baseOptions(size, element, endMs, 'messages', marks),
    series: [
      { label: 'virtual ms' },
      { label: backlogLabel, stroke: cssColour(element, '--accent', '#2563eb'), width: 3, ...(stepped ? { paths: stepped } : {}) },
      ...queues.map((queue, i) => ({ label: queue, stroke: QUEUE_COLOURS[i % QUEUE_COLOURS.length]!, width: 2, ...(stepped ? { paths: stepped } : {}) })),
    ],
  };
}

function latencyOptions(size: PlotSize, element: Element | null, endMs: number, marks: { current: Marks }): uPlot.Options {
  const colour = cssColour(element, '--warn', '#d97706');
  return {
    ...baseOptions(size, element, endMs, 'ms', marks),
    series: [
      { label: 'virtual ms' },
      { label: 'commit → effect (ms)', stroke: colour, paths: () => null, points: { show: true, size: 7, fill: colour, stroke: colour } },
    ],
  };
}

function baseOptions(size: PlotSize, element: Element | null, endMs: number, yLabel: string, marks: { current: Marks }): uPlot.Options {
  const fg = cssColour(element, '--fg', '#111827');
  const grid = cssColour(element, '--border', '#d1d5db');
  const axis = { stroke: fg, font: AXIS_FONT, labelFont: AXIS_FONT, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  return {
    width: size.width,
    height: size.height,
    scales: { x: { time: false, range: () => [0, endMs] }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    axes: [{ ...axis, label: 'virtual ms' }, { ...axis, label: yLabel }],
    cursor: { drag: { x: false, y: false } },
    legend: { show: true, live: false },
    series: [],
    plugins: [decorations(element, marks)],
  };
}

/** Fault windows shaded under the data; crashes and the cursor's time drawn over it. */
function decorations(element: Element | null, marks: { current: Marks }): uPlot.Plugin {
  const faultFill = cssColour(element, '--fault-fill', 'rgba(220, 38, 38, 0.14)');
  const crashStroke = cssColour(element, '--bad', '#dc2626');
  const cursorStroke = cssColour(element, '--fg', '#111827');
  const xAt = (u: uPlot, ms: number) => u.valToPos(ms, 'x', true);
  return {
    hooks: {
      drawClear: [
        (u) => {
          const { top, height } = u.bbox;
          u.ctx.save();
          u.ctx.fillStyle = faultFill;
          for (const window of marks.current.faultWindows) {
            const from = xAt(u, window.from);
            u.ctx.fillRect(from, top, Math.max(2, xAt(u, window.to) - from), height);
          }
          u.ctx.restore();
        },
      ],
      draw: [
        (u) => {
          const { top, height } = u.bbox;
          u.ctx.save();
          u.ctx.setLineDash([6, 4]);
          u.ctx.strokeStyle = crashStroke;
          u.ctx.lineWidth = 2;
          for (const crash of marks.current.crashes) verticalLine(u.ctx, xAt(u, crash.t), top, height);
          u.ctx.setLineDash([]);
          u.ctx.strokeStyle = cursorStroke;
          verticalLine(u.ctx, xAt(u, marks.current.nowMs), top, height);
          u.ctx.restore();
        },
      ],
    },
  };
}

function verticalLine(ctx: CanvasRenderingContext2D, x: number, top: number, height: number): void {
  ctx.beginPath();
  ctx.moveTo(Math.round(x) + 0.5, top);
  ctx.lineTo(Math.round(x) + 0.5, top + height);
  ctx.stroke();
}

function backlogSummary(series: Series, upTo: number, queues: readonly string[], nowMs: number): string {
  if (upTo === 0) return 'Backlog chart: nothing has happened yet.';
  const last = upTo - 1;
  const depths = queues.map((q) => `${q} ${series.queueDepth[q]![last]}`).join(', ');
  const faults = series.faultWindows.filter((w) => w.from <= nowMs).map((w) => `${w.label} from ${w.from} to ${w.to} ms`).join('; ');
  return `At ${series.t[last]} ms: ${series.backlog[last]} ${series.backlogLabel}${depths ? `; queues: ${depths}` : ''}${faults ? `; faults: ${faults}` : ''}.`;
}

function latencySummary(series: Series, upTo: number): string {
  if (upTo === 0) return 'Latency chart: no effect performed yet.';
  const shown = series.latency.ms.slice(0, upTo);
  return `${upTo} effects so far; commit to effect latency up to ${Math.max(...shown)} ms, latest ${shown[upTo - 1]} ms.`;
}
