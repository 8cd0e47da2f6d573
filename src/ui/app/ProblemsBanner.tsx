import type { ReactElement } from 'react';
import { useLab } from '../store';

/** Why the scenario as composed cannot run, field by field; the last good run stays on screen. */
export function ProblemsBanner(): ReactElement | null {
  const problems = useLab((s) => s.problems);
  const runError = useLab((s) => s.runError);
  if (problems.length === 0 && !runError) return null;
  return (
    <div className="banner banner-bad" role="alert" data-testid="problems">
      {problems.length > 0 && <strong>The scenario cannot run as it is:</strong>}
      <ul>
        {problems.map((p, i) => (
          <li key={i}>
            <code>{p.field}</code>: {p.message}
          </li>
        ))}
        {runError && <li>The engine failed: {runError}</li>}
      </ul>
    </div>
  );
}
