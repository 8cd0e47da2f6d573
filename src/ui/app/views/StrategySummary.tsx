import type { ReactElement } from 'react';
import { findStrategy } from '../../../strategies';

/**
 * What the strategy on screen does and what it costs, in its own module's words — including
 * the caveats a workshop must hear (two-phase commit's broker is a teaching model: RabbitMQ
 * and Kafka cannot take part in XA).
 */
export function StrategySummary({ strategyId }: { strategyId: string }): ReactElement | null {
  const strategy = findStrategy(strategyId);
  if (!strategy) return null;
  return (
    <details className="strategy-summary" data-testid="strategy-summary" open>
      <summary>{strategy.title}: how it works</summary>
      <p>{strategy.summary}</p>
    </details>
  );
}
