/**
 * Starts the trigger poller and its subscription endpoint with a gateway, when the config
 * has a `triggers` section. server.ts calls this and nothing else of src/triggers.
 */
import type { Server } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { Registry } from 'prom-client';
import type { Runtime } from '../gateway/runtime.js';
import type { PrivacyRuntime } from '../privacy/runtime.js';
import { TriggerEngine, type TriggerEngineOptions } from './engine.js';
import { mountSubscriptions } from './subscriptions.js';

export interface RunningTriggers {
  readonly engine: TriggerEngine;
  stop(): Promise<void>;
}

export function startTriggers(
  runtime: Runtime,
  schema: GraphQLSchema,
  privacy: PrivacyRuntime,
  httpServer: Server,
  registry: Registry | undefined,
  options: TriggerEngineOptions = {},
): RunningTriggers | undefined {
  const config = runtime.config.triggers;
  if (config === undefined) return undefined;
  const engine = new TriggerEngine(config, runtime, schema, privacy, { ...options, ...(registry === undefined ? {} : { registry }) });
  const subscriptions = mountSubscriptions(httpServer, schema, runtime, privacy, engine);
  engine.start();
  return {
    engine,
    async stop() {
      await subscriptions.close();
      await engine.stop();
    },
  };
}
