/**
 * RabbitMQ destination (rabbitmq-client): a durable queue, declared when missing; each
 * signal is a persistent message with the idempotency key as message id, sent with
 * publisher confirms, so `send` resolves only once the broker has taken it.
 */
import { Connection, type Publisher } from 'rabbitmq-client';
import type { DestinationConfig } from '../../config/triggers-config.js';
import { within, type Destination } from './contract.js';

export function createRabbitMqDestination(name: string, config: Extract<DestinationConfig, { kind: 'rabbitmq' }>): Destination {
  let rabbit: Connection | undefined;
  let publisher: Publisher | undefined;
  const open = (): Publisher => {
    rabbit ??= new Connection({ url: config.url, connectionTimeout: config.timeoutMillis, retryLow: 200, retryHigh: 5_000 });
    rabbit.on('error', () => undefined); // reported through send failures, retried by the delivery queue
    publisher ??= rabbit.createPublisher({ confirm: true, maxAttempts: 1, queues: [{ queue: config.queue, durable: true }] });
    return publisher;
  };
  return {
    name,
    kind: 'rabbitmq',
    async send(payload, signal) {
      const body = JSON.stringify(payload);
      await within(
        config.timeoutMillis,
        `publishing to RabbitMQ queue ${config.queue}`,
        open().send({ routingKey: config.queue, messageId: signal.idempotencyKey, durable: true, contentType: 'application/json' }, body),
      );
    },
    async close() {
      await publisher?.close().catch(() => undefined);
      await rabbit?.close().catch(() => undefined);
    },
  };
}
