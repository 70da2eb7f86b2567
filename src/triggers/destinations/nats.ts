/**
 * NATS JetStream destination (the official @nats-io clients). The stream is created with
 * its subject when missing. The idempotency key is the message id (Nats-Msg-Id), so
 * JetStream itself drops a re-sent signal inside the stream's duplicate window.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { DestinationConfig } from '../../config/triggers-config.js';
import { within, type Destination } from './contract.js';

export function createNatsDestination(name: string, config: Extract<DestinationConfig, { kind: 'nats' }>): Destination {
  let connection: Promise<NatsConnection> | undefined;
  const open = () => {
    connection ??= (async () => {
      const nc = await connect({ servers: config.url.replace(/^nats:\/\//, ''), timeout: config.timeoutMillis, reconnect: true, maxReconnectAttempts: -1 });
      const manager = await jetstreamManager(nc, { timeout: config.timeoutMillis });
      try {
        await manager.streams.info(config.stream);
      } catch {
        await manager.streams.add({ name: config.stream, subjects: [config.subject] });
      }
      return nc;
    })();
    // A failed connect is retried on the next send rather than remembered.
    connection.catch(() => {
      connection = undefined;
    });
    return connection;
  };
  return {
    name,
    kind: 'nats',
    async send(payload, signal) {
      const nc = await within(config.timeoutMillis, `connecting to NATS at ${config.url}`, open());
      await jetstream(nc, { timeout: config.timeoutMillis }).publish(config.subject, JSON.stringify(payload), {
        msgID: signal.idempotencyKey,
        timeout: config.timeoutMillis,
      });
    },
    async close() {
      const nc = await connection?.catch(() => undefined);
      await nc?.drain().catch(() => undefined);
    },
  };
}
