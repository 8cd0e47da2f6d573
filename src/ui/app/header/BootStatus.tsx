import type { ReactElement } from 'react';
import { useLab } from '../../store';

/** Postgres's boot, phase by phase, then the run's fingerprint once there is one. */
export function BootStatus(): ReactElement {
  const boot = useLab((s) => s.boot);
  const running = useLab((s) => s.running);
  const traceHash = useLab((s) => s.run?.result.traceHash);
  const seconds = (boot.elapsedMs / 1000).toFixed(1);
  if (boot.phase !== 'ready') {
    return (
      <p className={boot.phase === 'failed' ? 'hd-status hd-status-bad' : 'hd-status'} role="status" data-testid="db-status" data-phase={boot.phase}>
        {boot.phase === 'failed' ? `Postgres failed to start: ${boot.detail ?? 'unknown error'}` : `${boot.phase}… ${seconds} s`}
      </p>
    );
  }
  return (
    <p className="hd-status" role="status" data-testid="db-status" data-phase="ready">
      <span title={`Postgres (PGlite) was ready after ${seconds} s`}>Postgres ready ({seconds} s)</span>
      {running && <span className="hd-running"> · running the scenario…</span>}
      {traceHash && (
        <span title="Trace hash: the same scenario and seed give the same hash in the browser, in Node and in CI">
          {' '}· trace <code data-testid="trace-hash">{traceHash}</code>
        </span>
      )}
    </p>
  );
}
