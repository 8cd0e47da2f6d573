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
] as const;

export type CounterName = (typeof COUNTER_NAMES)[number];
export type Counters = Record<CounterName, number>;
