import { micromark } from 'micromark';

/**
 * A scenario description as HTML that is safe to set as innerHTML: micromark escapes raw HTML
 * and drops dangerous link protocols (javascript:, data:) unless told otherwise, and we never tell it.
 */
export function markdownToSafeHtml(markdown: string): string {
  return micromark(markdown, { allowDangerousHtml: false, allowDangerousProtocol: false });
}
