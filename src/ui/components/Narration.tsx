import '../styles/views.css';
import { useMemo, type ReactElement } from 'react';
import { markdownToSafeHtml } from '../derive/markdown';

export interface NarrationProps {
  /** The scenario's description, Markdown. Raw HTML in it is shown as text, never run. */
  readonly markdown: string;
  /** The current step in one plain sentence (narrate() of the entry at the cursor). */
  readonly sentence: string;
}

export function Narration({ markdown, sentence }: NarrationProps): ReactElement {
  const html = useMemo(() => markdownToSafeHtml(markdown), [markdown]);
  return (
    <section className="nr-root" aria-label="Narration">
      <p className="nr-sentence" aria-live="polite" data-testid="narration-sentence">
        {sentence}
      </p>
      {/* Safe: micromark escapes raw HTML and drops dangerous link protocols (see markdownToSafeHtml). */}
      <div className="nr-markdown" dangerouslySetInnerHTML={{ __html: html }} />
    </section>
  );
}
