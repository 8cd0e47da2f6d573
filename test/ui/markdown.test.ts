import { describe, expect, it } from 'vitest';
import { markdownToSafeHtml } from '../../src/ui/derive/markdown';

describe('markdownToSafeHtml', () => {
  it('renders a scenario description', () => {
    expect(markdownToSafeHtml('The relay publishes **again**: `evt-1`.')).toBe('<p>The relay publishes <strong>again</strong>: <code>evt-1</code>.</p>');
  });

  it('escapes raw HTML and drops script links, so a shared scenario cannot inject markup', () => {
    const html = markdownToSafeHtml('<img src=x onerror=alert(1)>\n\n<script>alert(1)</script>\n\n[click](javascript:alert(1))');
    expect(html).not.toMatch(/<img|<script|javascript:/i);
    expect(html).toContain('&lt;script&gt;');
  });
});
