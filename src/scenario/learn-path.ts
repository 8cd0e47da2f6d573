/**
 * The Learn path: the curated scenarios in scenarios/ as chapters, from the simplest story
 * (publish after commit, then crash) to the hardest (choosing between the strategies).
 * Plain data: the page reads it to order the scenarios and to track progress; a test checks
 * that every scenario file is placed here exactly once.
 */
export interface LearnChapter {
  /** Stable id, usable in a URL (`#learn/outbox`) and as a key for saved progress. */
  readonly id: string;
  readonly title: string;
  /** One or two sentences shown before the chapter's first scenario. */
  readonly intro: string;
  /** Scenario names (their `name:` field), in the order they are played. */
  readonly scenarios: readonly string[];
}

export const LEARN_PATH: readonly LearnChapter[] = [
  {
    id: 'dual-write',
    title: 'The dual write',
    intro:
      'A command handler that commits to Postgres and then publishes to the broker makes two writes that nothing ties together. ' +
      'A crash or an outage between them leaves a zombie record; swapping the order leaves a ghost message.',
    scenarios: ['direct-publish-crash-after-commit', 'direct-publish-phantom', 'direct-publish-broker-outage'],
  },
  {
    id: 'outbox',
    title: 'The transactional outbox',
    intro:
      'Write the event in the same transaction as the state change and let a relay publish it: nothing committed is lost. ' +
      'The price is at-least-once delivery, and an ordered relay that one poison message can pin.',
    scenarios: ['outbox-broker-outage', 'outbox-crash-after-publish', 'outbox-crash-after-publish-inbox', 'outbox-poison-message'],
  },
  {
    id: 'pollers',
    title: 'Pollers: one per side effect',
    intro:
      'The REMS design: each side effect has its own poller reading the events table from its own position. ' +
      'Simple and independent, but a poller waits for its next poll, and a failing call blocks the line behind it.',
    scenarios: ['poller-entitlement-delay', 'poller-head-of-line', 'poller-crash-before-position'],
  },
  {
    id: 'sequence-gap',
    title: 'The sequence gap and its xmin fix',
    intro:
      'A poller that reads `id > last_seen` can skip a row forever when a transaction takes a lower id but commits later. ' +
      'Reading only below the oldest open transaction (`pg_snapshot_xmin`) closes the gap, at a cost in latency.',
    scenarios: ['poller-sequence-gap', 'poller-sequence-gap-xmin'],
  },
  {
    id: 'process-managers',
    title: 'Process managers and one generic outbox',
    intro:
      'The REMS amendment: process managers write one outbox row per side effect, and workers perform each row on its own. ' +
      'A failure now repeats or delays one email, not a whole event.',
    scenarios: [
      'process-manager-one-email-fails',
      'process-manager-worker-crash-duplicates',
      'process-manager-worker-crash',
      'process-manager-approver-bot',
    ],
  },
  {
    id: 'fan-out',
    title: 'Publish–subscribe fan-out',
    intro: 'One event, one queue per subscribing service: a slow service falls behind on its own queue and nobody else waits for it.',
    scenarios: ['outbox-fan-out-slow-service'],
  },
  {
    id: 'event-size',
    title: 'Large vs small events',
    intro:
      'Delivery can be perfect and the system still wrong: reusing a large event for a different fact sends a misleading email. ' +
      'A small event that says what happened lets each consumer decide.',
    scenarios: ['rems-reused-review-requested', 'rems-small-reviewer-joined'],
  },
  {
    id: 'relays',
    title: 'More than one relay',
    intro:
      'A second relay publishes faster, but stateless relays let one application’s events overtake each other. ' +
      'Claiming per aggregate or holding a leader lease keeps the order.',
    scenarios: ['outbox-stateless-relays', 'outbox-relays-per-aggregate', 'outbox-relays-leader-lease'],
  },
  {
    id: 'two-phase-commit',
    title: 'Two-phase commit',
    intro:
      'Postgres and the broker both prepare, then a coordinator decides: no zombie records and no ghost messages. ' +
      'But a participant that cannot prepare refuses commands, and a coordinator that dies leaves in-doubt transactions holding locks.',
    scenarios: ['two-phase-commit-participant-fails', 'two-phase-commit-coordinator-in-doubt', 'two-phase-commit-crash-after-decision'],
  },
  {
    id: 'choose',
    title: 'Choose',
    intro: 'The same broker outage under direct publish, the outbox and two-phase commit, side by side: which one would you ship?',
    scenarios: ['choose-direct-publish-outbox-or-2pc'],
  },
];

/** Every scenario name on the path, in the order a learner meets them. */
export function learnOrder(path: readonly LearnChapter[] = LEARN_PATH): string[] {
  return path.flatMap((chapter) => chapter.scenarios);
}

/** The chapter that holds a scenario, or undefined if it is not on the path. */
export function chapterOf(scenario: string, path: readonly LearnChapter[] = LEARN_PATH): LearnChapter | undefined {
  return path.find((chapter) => chapter.scenarios.includes(scenario));
}

/** The scenario after this one on the path (crossing into the next chapter), or undefined at the end or off the path. */
export function nextInPath(scenario: string, path: readonly LearnChapter[] = LEARN_PATH): string | undefined {
  const order = learnOrder(path);
  const index = order.indexOf(scenario);
  return index < 0 ? undefined : order[index + 1];
}
