import type { ReactElement } from 'react';
import { useLab } from '../../store';

/** Postgres's boot, phase by phase, with the real elapsed time. */
export function BootStatus(): ReactElement {
  const boot = useLab((s) => s.boot);
  const running = useLab((s) => s.running);
  const phases = useLab((s) => s.bootPhases);
  const history = phases.map((p) => `${p.phase} at ${(p.elapsedMs / 1000).toFixed(1)} s`).join(' · ');
  const seconds = (boot.elapsedMs / 1000).toFixed(1);
  if (boot.phase !== 'ready') {
    return (
      <p className={boot.phase === 'failed' ? 'hd-status hd-status-bad' : 'hd-status'} role="status" data-testid="db-status" data-phase={boot.phase}>
        {boot.phase === 'failed' ? `Postgres failed to start: ${boot.detail ?? 'unknown error'}` : `${boot.phase}… ${seconds} s`}
      </p>
    );
  }
  return (
    <p className="hd-status" role="status" data-testid="db-status" data-phase="ready" title={`Postgres (PGlite in a Web Worker): ${history}`}>
      <span>Postgres ready {seconds} s</span>
      {running && <span className="hd-running"> · running…</span>}
    </p>
  );
}
