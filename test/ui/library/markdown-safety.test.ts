import { describe, expect, it } from 'vitest';
import { markdownToSafeHtml } from '../../../src/ui/derive/markdown';

describe('scenario text rendered as Markdown cannot carry script', () => {
  it.each([
    '<img src=x onerror="alert(1)">',
    '<script>alert(1)</script>',
    '<svg onload=alert(1)>',
    '<a href="javascript:alert(1)">x</a>',
    '<iframe src="https://evil.test"></iframe>',
  ])('raw HTML %s stays text', (markdown) => {
    const html = markdownToSafeHtml(`Title ${markdown} end`);
    expect(html).not.toMatch(/<(img|script|svg|iframe|a)\b/i);
    expect(html).not.toMatch(/(href|src)="(javascript|data):/i);
  });

  it.each(['[x](javascript:alert(1))', '![x](data:text/html;base64,PHNjcmlwdD4=)', '[x](JaVaScRiPt:alert(1))'])('the Markdown link %s loses its dangerous target', (markdown) => {
    expect(markdownToSafeHtml(markdown)).not.toMatch(/(href|src)="\s*(javascript|data):/i);
  });
});
