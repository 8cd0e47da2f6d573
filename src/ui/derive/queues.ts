import type { TraceEntry } from '../../sim/trace';

/** One copy of a message in one queue: a publish routed to two queues, or published twice, makes separate instances. */
export interface QueuedInstance {
  /** Stable across cursor positions: queue, message and the index of the publish that put it there. */
  readonly key: string;
  readonly messageId: string;
  readonly queue: string;
  deliveryCount: number;
  consumer?: string;
}

export interface QueueState {
  /** In the order the broker will offer them: head first. */
  readonly ready: QueuedInstance[];
  readonly unacked: QueuedInstance[];
}

/**
 * The broker's queues rebuilt from the trace alone, mirroring src/infra/broker.ts: publishes fill
 * queues, deliveries move a message to unacked, acks remove it, nacks, consumer crashes and
 * outages put it back at the head, dead letters remove it.
 */
export class QueueModel {
  readonly queues = new Map<string, QueueState>();
  private readonly queueOfConsumer = new Map<string, string>();

  apply(entry: TraceEntry): void {
    switch (entry.kind) {
      case 'publish':
        if (entry.outcome === 'confirmed' || entry.outcome === 'confirm-lost') this.route(entry.i, entry.messageId, entry.queues);
        break;
      case 'deliver':
        this.deliver(entry.queue, entry.consumer, entry.messageId, entry.deliveryCount);
        break;
      case 'ack':
        this.takeUnacked(entry.consumer, entry.messageId);
        break;
      case 'nack': {
        const instance = this.takeUnacked(entry.consumer, entry.messageId);
        if (instance) this.queue(instance.queue).ready.unshift(instance);
        break;
      }
      case 'dead-letter':
        if (entry.where.startsWith('queue:')) this.dropReady(entry.where.slice('queue:'.length), entry.messageId);
        break;
      case 'crash': {
        const queue = this.queueOfConsumer.get(entry.actor);
        if (queue) this.requeueUnacked(this.queue(queue));
        break;
      }
      case 'fault':
        if (entry.fault === 'broker-down' && entry.state === 'on') for (const queue of this.queues.values()) this.requeueUnacked(queue);
        break;
      default:
        break;
    }
  }

  /** Ready plus unacked, as `Broker.depth` counts. */
  depth(queue: string): number {
    const state = this.queues.get(queue);
    return state ? state.ready.length + state.unacked.length : 0;
  }

  declare(queue: string): void {
    this.queue(queue);
  }

  private route(publishIndex: number, messageId: string, queues: readonly string[]): void {
    for (const queue of queues) {
      this.queue(queue).ready.push({ key: `${queue}/${messageId}/${publishIndex}`, messageId, queue, deliveryCount: 0 });
    }
  }

  private deliver(queueName: string, consumer: string, messageId: string, deliveryCount: number): void {
    this.queueOfConsumer.set(consumer, queueName);
    const queue = this.queue(queueName);
    const index = queue.ready.findIndex((m) => m.messageId === messageId);
    // A delivery the model cannot place (a trace cut before its publish) still shows as in flight.
    const instance = index >= 0 ? queue.ready.splice(index, 1)[0]! : { key: `${queueName}/${messageId}/?`, messageId, queue: queueName, deliveryCount };
    instance.deliveryCount = deliveryCount;
    instance.consumer = consumer;
    queue.unacked.push(instance);
  }

  private takeUnacked(consumer: string, messageId: string): QueuedInstance | undefined {
    const queueName = this.queueOfConsumer.get(consumer);
    if (!queueName) return undefined;
    const queue = this.queue(queueName);
    const index = queue.unacked.findIndex((m) => m.messageId === messageId);
    return index >= 0 ? queue.unacked.splice(index, 1)[0] : undefined;
  }

  private dropReady(queueName: string, messageId: string): void {
    const queue = this.queue(queueName);
    const index = queue.ready.findIndex((m) => m.messageId === messageId);
    if (index >= 0) queue.ready.splice(index, 1);
  }

  /** The broker unshifts each in-flight message in turn, so they come back in reverse order. */
  private requeueUnacked(queue: QueueState): void {
    for (const instance of queue.unacked.splice(0)) {
      delete instance.consumer;
      queue.ready.unshift(instance);
    }
  }

  private queue(name: string): QueueState {
    let state = this.queues.get(name);
    if (!state) {
      state = { ready: [], unacked: [] };
      this.queues.set(name, state);
    }
    return state;
  }
}
