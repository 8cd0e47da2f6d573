/** The figures the checker reports; scenario `expect` blocks and the CLI use these names. */
export const COUNTER_NAMES = [
  'commands',
  'committed',
  'rejected',
  'expectedEffects',
  'effects',
  'lost',
  'phantom',
  'duplicateDeliveries',
  'duplicateEffects',
  'outOfOrder',
  'repeatedNotifications',
  'deadLettered',
  'publishFailures',
  'crashes',
  'awaiting',
  /** Two-phase commit: most transactions in doubt (prepared somewhere, not yet resolved everywhere) at once. */
  'inDoubtMax',
  /** Two-phase commit: virtual ms transactions spent in doubt, summed over transactions. */
  'inDoubtMs',
  /** Virtual ms commands spent waiting for a lock held by another transaction, summed over commands. */
  'blockedMs',
] as const;

export type CounterName = (typeof COUNTER_NAMES)[number];
export type Counters = Record<CounterName, number>;

/**
 * Commit → effect latency figures a scenario may also expect, overall and per consumer
 * service: `latency.p99`, `latency.email.p99`, `latency.entitlement.max`, ...
 */
const LATENCY_STATS = ['p50', 'p99', 'max'] as const;
const LATENCY_SCOPES = ['email', 'entitlement', 'analytics'] as const;
export const LATENCY_FIELDS = [
  ...LATENCY_STATS.map((stat) => `latency.${stat}` as const),
  ...LATENCY_SCOPES.flatMap((scope) => LATENCY_STATS.map((stat) => `latency.${scope}.${stat}` as const)),
];
export type LatencyField = (typeof LATENCY_FIELDS)[number];
export type ExpectableField = CounterName | LatencyField;
