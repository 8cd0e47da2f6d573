import type { ReactElement } from 'react';
import { useLab } from '../../store';
import { useController } from '../controller-context';

/** The clicked message: what it is and how often it was tried. */
export function TokenDetails(): ReactElement | null {
  const controller = useController();
  const token = useLab((s) => s.selectedToken);
  if (!token) return null;
  return (
    <div className="tk-details" role="status" data-testid="token-details">
      <strong>{token.messageId}</strong>
      {token.type && <span> · {token.type}</span>}
      {token.aggregateId && <span> · {token.aggregateId}</span>}
      <span> · {token.attempts} {token.attempts === 1 ? 'attempt' : 'attempts'}</span>
      <button type="button" className="btn btn-small" aria-label="Close message details" onClick={() => controller.selectToken(undefined)}>
        ✕
      </button>
    </div>
  );
}
