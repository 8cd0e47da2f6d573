import { useState, type ReactElement } from 'react';
import { useEditorActions } from '../../editor/useEditorActions';
import { useLab } from '../../store';
import { useController } from '../controller-context';

/**
 * The scenario exactly as it runs now, faults injected on the page included: what makes the run
 * reproducible, to copy into a file or an ADR, or to hand to the editor as a copy.
 */
export function ScenarioPanel(): ReactElement {
  const controller = useController();
  const editor = useEditorActions();
  // Read again whenever what runs changes.
  useLab((s) => s.run?.runId);
  const [open, setOpen] = useState(false);
  const [copied, setCopied] = useState(false);
  const yaml = open ? controller.scenarioAsYaml() : '';
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(yaml);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  };
  return (
    <details className="sc-root" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary data-testid="scenario-yaml-toggle">
        Scenario as it runs <span className="sc-hint">(YAML, with the faults you added)</span>
      </summary>
      {open && (
        <>
          <pre className="sc-text" data-testid="scenario-yaml" tabIndex={0}>
            {yaml}
          </pre>
          <div className="sc-actions">
            <button type="button" className="btn" onClick={() => void copy()}>
              {copied ? 'Copied' : 'Copy'}
            </button>
            <button type="button" className="btn" data-testid="scenario-yaml-edit" onClick={() => editor.importText(yaml, 'the scenario on screen')}>
              Edit a copy…
            </button>
          </div>
        </>
      )}
    </details>
  );
}
