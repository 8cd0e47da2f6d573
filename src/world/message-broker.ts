import type { DomainEvent, PublishOutcome } from '../sim/trace';

/**
 * The broker as strategies and consumer services see it: a RabbitMQ-like topic exchange with a
 * queue per subscribing service. The simulator implements it in memory (src/infra/broker), the
 * real world on RabbitMQ. Every call is async so that a real confirm or delivery can be awaited.
 */
export interface BrokerMessage {
  /** The dedupe key a consumer's inbox uses: the domain event's id. */
  readonly messageId: string;
  readonly routingKey: string;
  readonly event: DomainEvent;
}

export interface Delivery {
  readonly queue: string;
  readonly message: BrokerMessage;
  /** 1 on the first delivery, then one more for every redelivery. */
  readonly deliveryCount: number;
  readonly tag: number;
}

/** How a two-phase-commit call to the broker ended; anything but `ok` means the broker was not reached. */
export type ParticipantOutcome = 'ok' | 'unavailable' | 'timeout';

export interface MessagePublisher {
  /** Resolves once the broker confirmed the message, or the publisher gave up on it. */
  publish(actor: string, message: BrokerMessage): Promise<PublishOutcome>;
}

/** The broker as a two-phase-commit participant, staging messages under a transaction id. */
export interface TransactionParticipant {
  /** Phase one: stage the messages under `txId` and vote yes; unreachable is a no vote. */
  prepare(actor: string, txId: string, messages: readonly BrokerMessage[]): Promise<ParticipantOutcome>;
  /** Phase two, commit: release the staged messages. An unknown transaction was already resolved. */
  commitPrepared(actor: string, txId: string): Promise<ParticipantOutcome>;
  /** Phase two, abort: drop the staged messages. */
  rollbackPrepared(actor: string, txId: string): Promise<ParticipantOutcome>;
  /** What a recovering coordinator asks first: the transactions still staged. */
  recover(actor: string): Promise<{ outcome: ParticipantOutcome; txIds: string[] }>;
}

/** A queue's consumer: takes what has been pushed to it, then acknowledges or rejects it. */
export interface QueueConsumer {
  /** The next message the queue's consumer may process now, or undefined (nothing, or broker down). */
  take(queue: string, consumer: string): Promise<Delivery | undefined>;
  ack(delivery: Delivery, consumer: string): Promise<void>;
  /** Rejects the delivery: it is redelivered, or dead-lettered after too many deliveries. */
  nack(delivery: Delivery, consumer: string, reason: string): Promise<void>;
}

export interface MessageBroker extends MessagePublisher, TransactionParticipant, QueueConsumer {}

/** AMQP topic matching: `*` is one dot-separated word, `#` is zero or more. */
export function topicMatches(pattern: string, key: string): boolean {
  const p = pattern.split('.');
  const k = key.split('.');
  const match = (i: number, j: number): boolean => {
    if (i === p.length) return j === k.length;
    if (p[i] === '#') return match(i + 1, j) || (j < k.length && match(i, j + 1));
    if (j === k.length) return false;
    return (p[i] === '*' || p[i] === k[j]) && match(i + 1, j + 1);
  };
  return match(0, 0);
}
