import type { ReactElement } from 'react';
import { useLab } from '../../store';
import { useController } from '../controller-context';
import { faultSummary } from './describe';

const NO_NOTES: readonly string[] = [];

/** The scenario's faults as they will run: the file's, then the ones injected here. */
export function FaultList(): ReactElement {
  const controller = useController();
  const faults = useLab((s) => s.faults);
  // Selectors return stored arrays (or one constant): a fresh [] each time would re-render forever.
  const notes = useLab((s) => s.run?.notes ?? NO_NOTES);
  const compareNotes = useLab((s) => (s.compare.enabled ? (s.compare.run?.notes ?? NO_NOTES) : NO_NOTES));
  return (
    <section className="fl-root" aria-label="Faults in this scenario">
      <h2 className="fl-title">
        Faults ({faults.length}) <span className="fl-hint">· click a ↯ on an arrow in the diagram to arm that crash point from now</span>
      </h2>
      {faults.length === 0 ? (
        <p className="fl-empty">None: everything works. Use the buttons above to break something.</p>
      ) : (
        <ol className="fl-list" data-testid="fault-list">
          {faults.map(({ fault, added }, index) => (
            <li key={index} className={added ? 'fl-item fl-added' : 'fl-item'} data-fault-type={fault.type}>
              <span>{faultSummary(fault)}</span>
              {added && <span className="fl-badge">added</span>}
              <button type="button" className="btn btn-small" aria-label={`Remove fault ${index + 1}: ${faultSummary(fault)}`} onClick={() => controller.removeFault(index)}>
                ✕
              </button>
            </li>
          ))}
        </ol>
      )}
      {[...notes, ...compareNotes].map((note) => (
        <p key={note} className="fl-note" data-testid="fault-note">
          {note}
        </p>
      ))}
    </section>
  );
}
