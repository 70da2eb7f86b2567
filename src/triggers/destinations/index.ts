import type { DestinationConfig } from '../../config/triggers-config.js';
import type { Destination } from './contract.js';
import { createNatsDestination } from './nats.js';
import { createRabbitMqDestination } from './rabbitmq.js';
import { createWebhookDestination } from './webhook.js';

export function createDestination(name: string, config: DestinationConfig): Destination {
  switch (config.kind) {
    case 'webhook':
      return createWebhookDestination(name, config);
    case 'nats':
      return createNatsDestination(name, config);
    case 'rabbitmq':
      return createRabbitMqDestination(name, config);
  }
}
