import { useEffect, useRef, type ReactElement } from 'react';
import { useLab } from '../../store';
import { useController } from '../controller-context';
import { SHORTCUTS } from './shortcuts';

export function HelpOverlay(): ReactElement | null {
  const controller = useController();
  const open = useLab((s) => s.helpOpen);
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const before = document.activeElement;
    closeButton.current?.focus();
    return () => {
      if (before instanceof HTMLElement) before.focus();
    };
  }, [open]);
  if (!open) return null;
  return (
    <div className="help-backdrop" onClick={() => controller.setHelpOpen(false)}>
      <div className="help-dialog" role="dialog" aria-modal="true" aria-labelledby="help-title" data-testid="help-overlay" onClick={(e) => e.stopPropagation()}>
        <h2 id="help-title">Keyboard shortcuts</h2>
        <dl className="help-list">
          {SHORTCUTS.map((shortcut) => (
            <div key={shortcut.label} className="help-item">
              <dt>
                {shortcut.keys.map((key) => (
                  <kbd key={key}>{key}</kbd>
                ))}
              </dt>
              <dd>{shortcut.label}</dd>
            </div>
          ))}
        </dl>
        <p className="help-note">Shortcuts pause while you type in a field.</p>
        <button ref={closeButton} type="button" className="btn" onClick={() => controller.setHelpOpen(false)}>
          Close
        </button>
      </div>
    </div>
  );
}
