/**
 * The diagram view as a self-contained SVG: React Flow draws nodes as HTML and edges as SVG, so
 * the element is cloned into a foreignObject with the page's style rules inlined. No library:
 * the browser that shows the page can show the file.
 */
export function diagramSvg(root: Element): string {
  const { width, height } = root.getBoundingClientRect();
  const styles = collectCss();
  const clone = root.cloneNode(true) as Element;
  clone.querySelectorAll('.react-flow__controls, .react-flow__attribution').forEach((node) => node.remove());
  const theme = document.documentElement.dataset.theme ?? 'light';
  const body = new XMLSerializer().serializeToString(clone);
  const w = Math.ceil(width);
  const h = Math.ceil(height);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`,
    `<foreignObject width="100%" height="100%">`,
    `<div xmlns="http://www.w3.org/1999/xhtml" data-theme="${theme}" style="width:${w}px;height:${h}px;background:var(--bg);color:var(--fg);font-family:system-ui,sans-serif">`,
    `<style>${escapeCdata(styles)}</style>`,
    body,
    '</div></foreignObject></svg>',
  ].join('');
}

function collectCss(): string {
  const rules: string[] = [];
  for (const sheet of Array.from(document.styleSheets)) {
    try {
      for (const rule of Array.from(sheet.cssRules)) rules.push(rule.cssText);
    } catch {
      // A cross-origin sheet cannot be read; the page ships none, so nothing is lost.
    }
  }
  // The theme variables hang off <html>; inside the file they hang off the wrapper.
  return rules.join('\n').replaceAll(':root', '[data-theme]').replaceAll("html[data-theme='dark']", "[data-theme='dark']");
}

const escapeCdata = (css: string) => css.replaceAll('<', '\\3c ');
