import type { Kernel } from '../sim/kernel';
import type { PublishOutcome, TransactionDecision } from '../sim/trace';
import { topicMatches, type BrokerMessage, type Delivery, type MessageBroker, type ParticipantOutcome } from '../world/message-broker';

export { topicMatches, type BrokerMessage, type Delivery, type ParticipantOutcome } from '../world/message-broker';

export interface BrokerConfig {
  /** Virtual ms a confirmed publish or a refused connection costs the publisher. */
  readonly publishMs: number;
  /** How long a publisher waits for a confirm before giving up. */
  readonly publishTimeoutMs: number;
  /** Delay before a nacked or requeued message is offered again. */
  readonly redeliveryDelayMs: number;
  /** Deliveries after which a message goes to the dead-letter queue instead. */
  readonly maxDeliveries: number;
}

export type OutageMode = 'refuse' | 'timeout';

interface QueuedMessage {
  message: BrokerMessage;
  deliveryCount: number;
  availableAt: number;
}

interface Queue {
  readonly name: string;
  readonly consumerActor: string;
  readonly patterns: string[];
  ready: QueuedMessage[];
  unacked: Map<number, QueuedMessage>;
}

/**
 * An in-memory broker after RabbitMQ: one topic exchange, a queue per subscribing service,
 * publisher confirms, consumer ack/nack with redelivery counts, dead-lettering after too many
 * deliveries, and outages during which publishes fail and queued messages wait.
 */
export class Broker implements MessageBroker {
  private readonly queues = new Map<string, Queue>();
  private outage: OutageMode | undefined;
  private nextTag = 1;
  private readonly deadLetters: QueuedMessage[] = [];
  /** Messages staged by prepared transactions, by transaction id; outages and coordinator crashes keep them. */
  private readonly staged = new Map<string, readonly BrokerMessage[]>();
  /** Actors that called it as a transaction participant: told when the broker comes back, like a reconnecting client. */
  private readonly coordinators = new Set<string>();
  /** Asked on every stored publish: should the confirm go missing? */
  loseConfirm: () => boolean = () => false;
  /** Asked on every publish: is this message one the broker refuses outright (a poison message)? */
  rejects: (messageId: string) => boolean = () => false;

  constructor(
    private readonly kernel: Kernel,
    private readonly config: BrokerConfig,
  ) {}

  declareQueue(name: string, consumerActor: string, patterns: readonly string[]): void {
    this.queues.set(name, { name, consumerActor, patterns: [...patterns], ready: [], unacked: new Map() });
  }

  get isDown(): boolean {
    return this.outage !== undefined;
  }

  /** Connections drop: unacked deliveries go back to their queues, as with a lost AMQP channel. */
  goDown(mode: OutageMode): void {
    this.outage = mode;
    for (const queue of this.queues.values()) this.requeueUnacked(queue);
  }

  comeUp(): void {
    this.outage = undefined;
    for (const queue of this.queues.values()) this.kernel.wake(queue.consumerActor);
    for (const actor of this.coordinators) this.kernel.wake(actor);
  }

  async publish(actor: string, message: BrokerMessage): Promise<PublishOutcome> {
    if (this.outage) {
      const outcome: PublishOutcome = this.outage === 'refuse' ? 'unavailable' : 'timeout';
      this.kernel.spend(outcome === 'timeout' ? this.config.publishTimeoutMs : this.config.publishMs);
      this.kernel.trace.append({ kind: 'publish', actor, messageId: message.messageId, routingKey: message.routingKey, outcome, queues: [] });
      return outcome;
    }
    if (this.rejects(message.messageId)) {
      this.kernel.spend(this.config.publishMs);
      this.kernel.trace.append({ kind: 'publish', actor, messageId: message.messageId, routingKey: message.routingKey, outcome: 'rejected', queues: [] });
      return 'rejected';
    }
    const outcome: PublishOutcome = this.loseConfirm() ? 'confirm-lost' : 'confirmed';
    this.kernel.spend(outcome === 'confirm-lost' ? this.config.publishTimeoutMs : this.config.publishMs);
    this.route(actor, message, outcome);
    return outcome;
  }

  /*
   * The broker as a two-phase-commit participant — a teaching model: RabbitMQ and Kafka offer
   * nothing like it over XA. A prepared transaction's messages are staged, invisible to
   * consumers, until the coordinator commits (they are routed) or rolls back (they are dropped).
   */

  /** Phase one: stage the messages under `txId` and vote yes; an outage is a no vote. */
  async prepare(actor: string, txId: string, messages: readonly BrokerMessage[]): Promise<ParticipantOutcome> {
    this.coordinators.add(actor);
    const unreachable = this.unreachable();
    if (unreachable) {
      this.kernel.trace.append({ kind: 'prepare-failed', actor, participant: 'broker', gid: txId, reason: unreachable });
      return unreachable;
    }
    this.kernel.spend(this.config.publishMs);
    this.staged.set(txId, [...(this.staged.get(txId) ?? []), ...messages]);
    this.kernel.trace.append({ kind: 'prepared', actor, participant: 'broker', gid: txId });
    return 'ok';
  }

  /** Phase two, commit: route the staged messages. Committing an unknown transaction is a no-op (it was already resolved). */
  async commitPrepared(actor: string, txId: string): Promise<ParticipantOutcome> {
    return this.resolve(actor, txId, 'commit');
  }

  /** Phase two, abort: drop the staged messages. An unknown transaction has nothing staged (presumed abort). */
  async rollbackPrepared(actor: string, txId: string): Promise<ParticipantOutcome> {
    return this.resolve(actor, txId, 'abort');
  }

  /** What a recovering coordinator asks first (XA `recover`): the transactions still staged here. */
  async recover(actor: string): Promise<{ outcome: ParticipantOutcome; txIds: string[] }> {
    this.coordinators.add(actor);
    const unreachable = this.unreachable();
    if (unreachable) {
      this.kernel.trace.append({ kind: 'participant-unreachable', actor, participant: 'broker', call: 'recover', reason: unreachable });
      return { outcome: unreachable, txIds: [] };
    }
    this.kernel.spend(this.config.publishMs);
    const txIds = [...this.staged.keys()].sort();
    this.kernel.trace.append({ kind: 'in-doubt', actor, participant: 'broker', gids: txIds });
    return { outcome: 'ok', txIds };
  }

  private resolve(actor: string, txId: string, decision: TransactionDecision): ParticipantOutcome {
    this.coordinators.add(actor);
    const unreachable = this.unreachable();
    if (unreachable) {
      this.kernel.trace.append({
        kind: 'participant-unreachable',
        actor,
        participant: 'broker',
        call: decision === 'commit' ? 'commit' : 'rollback',
        gid: txId,
        reason: unreachable,
      });
      return unreachable;
    }
    this.kernel.spend(this.config.publishMs);
    const messages = this.staged.get(txId);
    if (!messages) return 'ok';
    this.staged.delete(txId);
    this.kernel.trace.append({ kind: 'resolved', actor, participant: 'broker', gid: txId, decision });
    if (decision === 'commit') for (const message of messages) this.route(actor, message, 'confirmed');
    return 'ok';
  }

  /** During an outage a call is refused at once or waits out the publish timeout. */
  private unreachable(): Exclude<ParticipantOutcome, 'ok'> | undefined {
    if (!this.outage) return undefined;
    const outcome = this.outage === 'refuse' ? 'unavailable' : 'timeout';
    this.kernel.spend(outcome === 'timeout' ? this.config.publishTimeoutMs : this.config.publishMs);
    return outcome;
  }

  /** Stores the message in every queue bound to its routing key and tells their consumers. */
  private route(actor: string, message: BrokerMessage, outcome: PublishOutcome): void {
    const queues = [...this.queues.values()].filter((q) => q.patterns.some((p) => topicMatches(p, message.routingKey)));
    for (const queue of queues) {
      queue.ready.push({ message, deliveryCount: 0, availableAt: this.kernel.now });
    }
    this.kernel.trace.append({
      kind: 'publish',
      actor,
      messageId: message.messageId,
      routingKey: message.routingKey,
      outcome,
      queues: queues.map((q) => q.name),
    });
    for (const queue of queues) this.kernel.wake(queue.consumerActor);
  }

  /** The next message a queue's consumer may process now, or undefined (empty, or broker down). */
  async take(queueName: string, consumer: string): Promise<Delivery | undefined> {
    const queue = this.queue(queueName);
    if (this.outage) return undefined;
    const index = queue.ready.findIndex((m) => m.availableAt <= this.kernel.now);
    if (index < 0) return undefined;
    const [queued] = queue.ready.splice(index, 1) as [QueuedMessage];
    queued.deliveryCount++;
    const tag = this.nextTag++;
    queue.unacked.set(tag, queued);
    this.kernel.trace.append({
      kind: 'deliver',
      queue: queue.name,
      consumer,
      messageId: queued.message.messageId,
      deliveryCount: queued.deliveryCount,
    });
    return { queue: queue.name, message: queued.message, deliveryCount: queued.deliveryCount, tag };
  }

  async ack(delivery: Delivery, consumer: string): Promise<void> {
    const queue = this.queue(delivery.queue);
    if (!queue.unacked.delete(delivery.tag)) {
      // The channel the delivery came on is gone (outage, or the consumer restarted): the
      // broker has already put the message back, so this acknowledgement reaches nobody.
      this.kernel.trace.append({ kind: 'nack', consumer, messageId: delivery.message.messageId, reason: 'ack lost: channel closed' });
      return;
    }
    this.kernel.trace.append({ kind: 'ack', consumer, messageId: delivery.message.messageId });
  }

  async nack(delivery: Delivery, consumer: string, reason: string): Promise<void> {
    const queue = this.queue(delivery.queue);
    const queued = queue.unacked.get(delivery.tag);
    this.kernel.trace.append({ kind: 'nack', consumer, messageId: delivery.message.messageId, reason });
    if (!queued) return;
    queue.unacked.delete(delivery.tag);
    this.requeueOrDeadLetter(queue, queued, reason);
  }

  /** A consumer died holding deliveries: they are redelivered, counted as delivered once more. */
  consumerLost(queueName: string): void {
    this.requeueUnacked(this.queue(queueName));
  }

  /** Nothing ready, nothing in flight: the run may end. Messages stranded by a permanent outage do not hold it. */
  isIdle(): boolean {
    if (this.outage) return true;
    for (const queue of this.queues.values()) if (queue.ready.length > 0 || queue.unacked.size > 0) return false;
    return true;
  }

  depth(queueName: string): number {
    const queue = this.queue(queueName);
    return queue.ready.length + queue.unacked.size;
  }

  get deadLetterCount(): number {
    return this.deadLetters.length;
  }

  private requeueUnacked(queue: Queue): void {
    const inFlight = [...queue.unacked.values()];
    queue.unacked.clear();
    for (const queued of inFlight) this.requeueOrDeadLetter(queue, queued, 'connection lost');
  }

  private requeueOrDeadLetter(queue: Queue, queued: QueuedMessage, reason: string): void {
    if (queued.deliveryCount >= this.config.maxDeliveries) {
      this.deadLetters.push(queued);
      this.kernel.trace.append({
        kind: 'dead-letter',
        where: `queue:${queue.name}`,
        messageId: queued.message.messageId,
        reason: `${reason} after ${queued.deliveryCount} deliveries`,
      });
      return;
    }
    // Back to the head, as RabbitMQ requeues: the queue stays in order, the message waits a little.
    queued.availableAt = this.kernel.now + this.config.redeliveryDelayMs;
    queue.ready.unshift(queued);
    this.kernel.at(queued.availableAt, () => this.kernel.wake(queue.consumerActor));
  }

  private queue(name: string): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`no queue '${name}'`);
    return queue;
  }
}
