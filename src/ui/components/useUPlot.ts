import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface PlotSize {
  readonly width: number;
  readonly height: number;
}

/**
 * A uPlot chart in a container: created once (again only when `rebuildKey` or the page theme
 * changes), fed with setData on every data change, resized with its container, destroyed on
 * unmount. uPlot draws on a canvas, so options read their colours when the plot is built.
 */
export function useUPlot(
  buildOptions: (size: PlotSize) => uPlot.Options,
  data: uPlot.AlignedData,
  rebuildKey: string,
  heightPx: number,
): RefObject<HTMLDivElement | null> {
  const containerRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const latest = useRef({ buildOptions, data });
  latest.current = { buildOptions, data };
  const theme = usePageTheme();

  useLayoutEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const size = { width: Math.max(200, container.clientWidth), height: heightPx };
    const plot = new uPlot(latest.current.buildOptions(size), latest.current.data, container);
    plotRef.current = plot;
    const observer = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(() => {
      const width = Math.max(200, container.clientWidth);
      if (width !== plot.width) plot.setSize({ width, height: heightPx });
    });
    observer?.observe(container);
    return () => {
      observer?.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
  }, [rebuildKey, theme, heightPx]);

  useEffect(() => {
    plotRef.current?.setData(data);
  }, [data]);

  return containerRef;
}

/** The page's theme (the `data-theme` attribute, or the system preference): charts redraw their colours when it flips. */
function usePageTheme(): string {
  const read = () => {
    if (typeof document === 'undefined') return 'light';
    const attribute = document.documentElement.getAttribute('data-theme');
    if (attribute) return attribute;
    return typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  };
  const [theme, setTheme] = useState(read);
  useEffect(() => {
    if (typeof document === 'undefined') return;
    const update = () => setTheme(read());
    const observer = new MutationObserver(update);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    const media = typeof matchMedia === 'undefined' ? undefined : matchMedia('(prefers-color-scheme: dark)');
    media?.addEventListener('change', update);
    return () => {
      observer.disconnect();
      media?.removeEventListener('change', update);
    };
  }, []);
  return theme;
}

/** A CSS custom property of an element as uPlot needs it (a plain colour string). */
export function cssColour(element: Element | null, name: string, fallback: string): string {
  if (!element || typeof getComputedStyle === 'undefined') return fallback;
  return getComputedStyle(element).getPropertyValue(name).trim() || fallback;
}
