import { useState, type ReactElement } from 'react';
import { useLab } from '../../store';
import { useController } from '../controller-context';

/**
 * The scenario as text: what runs now (faults added on the page included), to copy into a file
 * or an ADR, or to edit and run. A typed scenario that does not validate stays as typed, with
 * every problem named by its field.
 */
export function ScenarioPanel(): ReactElement {
  const controller = useController();
  const editor = useLab((s) => s.editor);
  const [copied, setCopied] = useState(false);
  if (!editor.open) {
    return (
      <div className="sc-root">
        <button type="button" className="btn" data-testid="scenario-edit" onClick={() => controller.openEditor()}>
          Scenario as YAML…
        </button>
        <span className="sc-hint">see, copy or edit exactly what runs (the faults you added are in it)</span>
      </div>
    );
  }
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(editor.text);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  };
  return (
    <section className="sc-root sc-open" aria-label="Scenario as YAML">
      <label className="sc-label" htmlFor="scenario-text">
        Scenario (YAML or JSON)
      </label>
      <textarea
        id="scenario-text"
        className="sc-text"
        data-testid="scenario-text"
        spellCheck={false}
        rows={14}
        value={editor.text}
        aria-invalid={editor.problems.length > 0 ? true : undefined}
        onChange={(e) => controller.setEditorText(e.target.value)}
      />
      {editor.problems.length > 0 && (
        <ul className="sc-problems" role="alert" data-testid="scenario-problems">
          {editor.problems.map((p, i) => (
            <li key={i}>
              <code>{p.field}</code>: {p.message}
            </li>
          ))}
        </ul>
      )}
      <div className="sc-actions">
        <button type="button" className="btn btn-on" disabled={editor.checking} data-testid="scenario-apply" onClick={() => void controller.applyEditor()}>
          {editor.checking ? 'Checking…' : 'Check and run'}
        </button>
        <button type="button" className="btn" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="btn" onClick={() => controller.closeEditor()}>
          Close
        </button>
      </div>
    </section>
  );
}
