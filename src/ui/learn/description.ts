/** A curated description up to its "What the checker sees" section, and that section: the part that gives the answer away. */
export interface SplitDescription {
  readonly beforeReveal: string;
  /** Empty when the description has no such section. */
  readonly afterReveal: string;
}

const REVEAL_HEADING = /^[#*_ \t]*What the checker sees/m;

export function splitDescription(markdown: string): SplitDescription {
  const match = REVEAL_HEADING.exec(markdown);
  if (!match) return { beforeReveal: markdown, afterReveal: '' };
  return { beforeReveal: markdown.slice(0, match.index).trimEnd(), afterReveal: markdown.slice(match.index) };
}
