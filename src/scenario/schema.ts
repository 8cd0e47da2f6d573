import { z } from 'zod';
import { CONSUMER_IDS } from '../infra/consumers';
import { COMMAND_TYPES } from '../infra/domain';
import { STRATEGY_IDS } from '../strategies/strategy';
import { COUNTER_NAMES, LATENCY_FIELDS } from '../checker/counters';

/**
 * The scenario format: plain data, seed included. Everything a run does follows from it.
 * Strategy-specific `options` and crash point names are checked against the chosen
 * strategy in ./load.ts, where the registry is known.
 */
const virtualMs = z.number().int().min(0).max(86_400_000);
const probability = z.number().min(0).max(1);

/** When a fault fires: the n-th time its trigger is reached, or each time with a probability, optionally within a window. */
const trigger = {
  nth: z.number().int().min(1).optional(),
  probability: probability.optional(),
  from: virtualMs.optional(),
  to: virtualMs.optional(),
};

export const crashFault = z.object({ type: z.literal('crash'), point: z.string().min(1), ...trigger }).strict();
export const killFault = z
  .object({
    type: z.literal('kill'),
    actor: z.string().min(1),
    at: virtualMs,
    /** How long it stays down; omitted: the actor's own restart delay. */
    downMs: virtualMs.optional(),
  })
  .strict();
export const brokerDownFault = z
  .object({
    type: z.literal('broker-down'),
    from: virtualMs,
    /** Omitted: the broker never comes back. */
    to: virtualMs.optional(),
    mode: z.enum(['refuse', 'timeout']).default('refuse'),
  })
  .strict();
export const consumerErrorFault = z.object({ type: z.literal('consumer-error'), consumer: z.enum(CONSUMER_IDS), ...trigger }).strict();
export const losePublishConfirmFault = z.object({ type: z.literal('lose-publish-confirm'), ...trigger }).strict();

/** The broker refuses this message every time (too large, malformed): the head-of-line story. */
export const poisonMessageFault = z
  .object({ type: z.literal('poison-message'), message: z.string().regex(/^[A-Za-z0-9_.-]{1,80}$/, 'a message (event) id such as evt-3') })
  .strict();

export const FAULT_TYPES = ['crash', 'kill', 'broker-down', 'consumer-error', 'lose-publish-confirm', 'poison-message'] as const;
export const fault = z.discriminatedUnion('type', [crashFault, killFault, brokerDownFault, consumerErrorFault, losePublishConfirmFault, poisonMessageFault]);
export type Fault = z.infer<typeof fault>;

export const scriptedCommand = z
  .object({
    at: virtualMs,
    command: z.enum(COMMAND_TYPES),
    application: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, - _ . (at most 64)'),
    person: z.string().max(64).optional(),
  })
  .strict();

/** `">0"`, `">=2"`, `"<3"`, `"<=1"`, `"0"` or a number: what a counter must be when the run ends. */
export const expectation = z.union([
  z.number().int().min(0),
  z.string().regex(/^\s*(>=|<=|>|<|=)?\s*\d+\s*$/, 'a number or a comparison like ">0", ">=2", "<3"'),
]);

export const scenarioSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'lowercase letters, digits and dashes (at most 80)'),
    title: z.string().min(1).max(200),
    description: z.string().max(20_000).default(''),
    /**
     * "Predict first": a question the page asks before the run (e.g. "Will the applicant get the
     * approval email?") and the explanation it reveals next to the checker's numbers afterwards.
     */
    predict: z
      .object({
        question: z.string().min(1).max(500),
        answer: z.string().min(1).max(5_000),
      })
      .strict()
      .optional(),
    /** Strategies to run side by side with `strategy` on the same seed and faults (the page's Compare). */
    compareWith: z.array(z.enum(STRATEGY_IDS)).max(4).default([]),
    strategy: z.enum(STRATEGY_IDS),
    options: z.record(z.string(), z.unknown()).default({}),
    seed: z.number().int().min(0).max(2 ** 32 - 1),
    workload: z
      .object({
        /** Commands the generated client issues (ignored when `script` is given). */
        commands: z.number().int().min(0).max(20_000).default(20),
        /** Virtual ms between two commands. */
        interval: z.number().int().min(1).max(600_000).default(100),
        script: z.array(scriptedCommand).max(20_000).optional(),
      })
      .strict()
      .default({ commands: 20, interval: 100 }),
    consumers: z
      .object({
        idempotent: z.boolean().default(false),
        services: z.array(z.enum(CONSUMER_IDS)).min(1).default([...CONSUMER_IDS]),
        latencyMs: z.partialRecord(z.enum(CONSUMER_IDS), z.number().int().min(0).max(600_000)).default({}),
      })
      .strict()
      .default({ idempotent: false, services: [...CONSUMER_IDS], latencyMs: {} }),
    broker: z
      .object({
        publishTimeoutMs: z.number().int().min(1).max(600_000).default(500),
        redeliveryDelayMs: z.number().int().min(0).max(600_000).default(100),
        maxDeliveries: z.number().int().min(1).max(1000).default(10),
      })
      .strict()
      .default({ publishTimeoutMs: 500, redeliveryDelayMs: 100, maxDeliveries: 10 }),
    domain: z
      .object({
        /** REMS seed 003: announce an accepted invitation with a new small event, or reuse the invitation's. */
        announceAcceptedInvitationAs: z.enum(['ReviewerJoined', 'ReviewRequested']).default('ReviewerJoined'),
      })
      .strict()
      .default({ announceAcceptedInvitationAs: 'ReviewerJoined' }),
    faults: z.array(fault).max(1000).default([]),
    limits: z
      .object({
        maxSteps: z.number().int().min(1).max(10_000_000).default(1_000_000),
        maxVirtualMs: virtualMs.default(3_600_000),
      })
      .strict()
      .default({ maxSteps: 1_000_000, maxVirtualMs: 3_600_000 }),
    expect: z.partialRecord(z.enum([...COUNTER_NAMES, ...LATENCY_FIELDS]), expectation).default({}),
  })
  .strict();

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
