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
