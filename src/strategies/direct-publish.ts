import { z } from 'zod';
import { applyCommand, type Command } from '../infra/domain';
import { point, type Process } from '../world/runtime';
import { eventMessage } from './shared';
import { API_ACTOR, defineStrategy, type StrategyWorld } from './strategy';

const options = z
  .object({
    /**
     * `commit-then-publish` loses events when the handler dies (or the broker is down) after
     * the commit; `publish-then-commit` emits phantoms when it dies after publishing.
     */
    order: z.enum(['commit-then-publish', 'publish-then-commit']).default('commit-then-publish'),
  })
  .strict();

type Options = z.infer<typeof options>;

/**
 * The dual write: the handler commits to Postgres and publishes to the broker as two separate
 * acts. Nothing ties them together, so any failure between them leaves one done without the
 * other — and no later process will notice.
 */
export const directPublish = defineStrategy<Options>({
  id: 'direct-publish',
  title: 'Direct publish',
  summary:
    'The command handler commits its state change, then publishes the event to the broker itself. ' +
    'Simple and fast, but the commit and the publish are two writes with nothing to tie them: a crash ' +
    'or a broker outage between them loses the event for good (or, publishing first, announces a change ' +
    'that never committed).',
  schemaSql: '',
  crashPoints: [
    { id: 'after-commit', actor: API_ACTOR, description: 'The state change is committed; the event has not been published.' },
    { id: 'after-publish', actor: API_ACTOR, description: 'The event is published (commit-then-publish: all done).' },
    {
      id: 'before-commit',
      actor: API_ACTOR,
      description: 'publish-then-commit only: the event is on the broker, the transaction is still open and rolls back.',
    },
  ],
  options,
  actorIds: () => [],
  start: (world) => ({
    actors: [],
    handleCommand: (command) =>
      world.options.order === 'commit-then-publish' ? commitThenPublish(world, command) : publishThenCommit(world, command),
  }),
});

async function* commitThenPublish(world: StrategyWorld<Options>, command: Command): Process {
  const result = await world.db.transaction(API_ACTOR, (sql) => applyCommand(sql, command, world.kernel.now));
  if (!result.ok) return world.rejected(command, result.reason);
  world.committed(API_ACTOR, command, result.events);
  yield point('after-commit');
  for (const event of result.events) {
    // No retry and no record: if the broker refuses, the handler can only log and move on.
    await world.broker.publish(API_ACTOR, eventMessage(event));
    yield point('after-publish');
  }
}

async function* publishThenCommit(world: StrategyWorld<Options>, command: Command): Process {
  const result = await world.db.transaction(API_ACTOR, async (sql) => {
    const applied = await applyCommand(sql, command, world.kernel.now);
    if (!applied.ok) return applied;
    for (const event of applied.events) {
      const outcome = await world.broker.publish(API_ACTOR, eventMessage(event));
      if (outcome !== 'confirmed') throw new PublishFailed(outcome);
    }
    // Dying here rolls the transaction back; the broker already has the event: a phantom.
    world.kernel.pointWithinStep('before-commit');
    return applied;
  }).catch((error: unknown) => {
    if (error instanceof PublishFailed) return { ok: false as const, reason: `publish ${error.outcome}; transaction rolled back` };
    throw error;
  });
  if (!result.ok) return world.rejected(command, result.reason);
  world.committed(API_ACTOR, command, result.events);
  yield point('after-commit');
}

class PublishFailed extends Error {
  constructor(readonly outcome: string) {
    super(`publish ${outcome}`);
  }
}
