import '../styles/views.css';
import type { ReactElement } from 'react';
import type { Verdict, Violation } from '../../checker/checker';
import type { CounterName } from '../../checker/counters';

export interface CheckerPanelProps {
  readonly verdict: Verdict;
  readonly title?: string;
  /** Called with the trace index of the entry that shows the violation. */
  readonly onViolationClick: (entryIndex: number) => void;
}

/** Counters that are a broken promise when above zero. */
const VIOLATION_COUNTERS: ReadonlyArray<readonly [CounterName, string]> = [
  ['lost', 'Lost'],
  ['phantom', 'Phantom'],
  ['duplicateDeliveries', 'Duplicate deliveries'],
  ['duplicateEffects', 'Duplicate effects'],
  ['outOfOrder', 'Out of order'],
  ['deadLettered', 'Dead lettered'],
  ['repeatedNotifications', 'Repeated notifications'],
];

/** What keeping the promise costs: worth a warning, not a violation. */
const COST_COUNTERS: ReadonlyArray<readonly [CounterName, string, string?]> = [
  ['inDoubtMax', 'In doubt (most at once)'],
  ['inDoubtMs', 'In doubt', 'ms'],
  ['blockedMs', 'Blocked', 'ms'],
];

const VIOLATION_NAMES: Record<Violation['kind'], string> = {
  lost: 'Lost',
  phantom: 'Phantom',
  duplicateDelivery: 'Duplicate delivery',
  duplicateEffect: 'Duplicate effect',
  outOfOrder: 'Out of order',
  deadLettered: 'Dead lettered',
  repeatedNotification: 'Repeated notification',
};

/** Violations listed at most; the counters above still count them all. */
const VIOLATIONS_SHOWN_MAX = 200;

type Tone = 'bad' | 'ok' | 'warn' | 'pending' | 'neutral';
const TONE_WORDS: Record<Tone, string> = { bad: '✗ violated', ok: '✓ held', warn: '! cost', pending: '… so far', neutral: '' };

/** The checker's verdict on the trace so far: big numbers, red when a promise broke, green once the run ended clean. */
export function CheckerPanel({ verdict, title = 'Checker', onViolationClick }: CheckerPanelProps): ReactElement {
  const { counters, latency, ended } = verdict;
  return (
    <section className="ck-root" aria-label={title}>
      <header className="ck-header">
        <h2 className="ck-title">{title}</h2>
        <span className="ck-status" data-testid="checker-status">
          {ended ? `run ended (${verdict.endReason ?? 'done'})` : `running · ${verdict.virtualMs} ms`}
        </span>
      </header>
      <dl className="ck-counters">
        {VIOLATION_COUNTERS.map(([name, label]) => (
          <Counter key={name} name={name} label={label} value={counters[name]} tone={counters[name] > 0 ? 'bad' : ended ? 'ok' : 'pending'} />
        ))}
        {COST_COUNTERS.map(([name, label, unit]) => (
          <Counter key={name} name={name} label={label} value={counters[name]} unit={unit} tone={counters[name] > 0 ? 'warn' : 'neutral'} />
        ))}
        {!ended ? <Counter name="awaiting" label="Awaiting effects" value={counters.awaiting} tone="neutral" /> : null}
        <Counter name="latency-p50" label="Latency p50" value={latency.p50} unit="ms" tone="neutral" />
        <Counter name="latency-p99" label="Latency p99" value={latency.p99} unit="ms" tone="neutral" />
        <Counter name="latency-max" label="Latency max" value={latency.max} unit="ms" tone="neutral" />
      </dl>
      <ViolationList violations={verdict.violations} onViolationClick={onViolationClick} />
    </section>
  );
}

function Counter({ name, label, value, unit, tone }: { name: string; label: string; value: number; unit?: string | undefined; tone: Tone }): ReactElement {
  return (
    <div className={`ck-counter ck-counter--${tone}`}>
      <dt className="ck-counter__label">{label}</dt>
      <dd className="ck-counter__value">
        <span data-testid={`checker-${name}`}>{value}</span>
        {unit ? <span className="ck-counter__unit"> {unit}</span> : null}
        {TONE_WORDS[tone] ? <span className="ck-counter__tone">{TONE_WORDS[tone]}</span> : null}
      </dd>
    </div>
  );
}

function ViolationList({ violations, onViolationClick }: { violations: readonly Violation[]; onViolationClick: (entry: number) => void }): ReactElement {
  if (violations.length === 0) return <p className="ck-none">No violations so far.</p>;
  const shown = violations.slice(0, VIOLATIONS_SHOWN_MAX);
  return (
    <div className="ck-violations">
      <h3 className="ck-violations__title">Violations ({violations.length})</h3>
      <ol className="ck-violations__list">
        {shown.map((violation, index) => (
          <li key={`${violation.kind}-${violation.subject}-${violation.entry}-${index}`}>
            <button type="button" className="ck-violation" onClick={() => onViolationClick(violation.entry)} data-entry={violation.entry}>
              <span className="ck-violation__kind">{VIOLATION_NAMES[violation.kind]}</span> <span className="ck-violation__subject">{violation.subject}</span>{' '}
              <span className="ck-violation__entry">entry #{violation.entry}</span>
            </button>
          </li>
        ))}
      </ol>
      {violations.length > shown.length ? <p className="ck-more">… and {violations.length - shown.length} more</p> : null}
    </div>
  );
}
