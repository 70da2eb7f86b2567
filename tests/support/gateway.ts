/** A real c360 gateway on a free port, queried over HTTP like any client would. */
import type { SourceCall } from '../../connectors/contract.js';
import type { C360Config } from '../../src/config/types.js';
import { createLogger } from '../../src/gateway/logger.js';
import { createRuntime, type Runtime } from '../../src/gateway/runtime.js';
import { startGateway, type Gateway } from '../../src/gateway/server.js';
import { linkMapCacheOf } from '../../src/identity/link-map-cache.js';
import { Writable } from 'node:stream';

export interface GraphQLResult {
  readonly status: number;
  readonly data?: Record<string, unknown> | null;
  readonly errors?: ReadonlyArray<{ message: string; path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown> }>;
  readonly extensions?: { trace?: ReadonlyArray<SourceCall> };
}

export interface TestGateway {
  readonly url: string;
  readonly runtime: Runtime;
  readonly logs: string[];
  query(query: string, variables?: Record<string, unknown>, options?: { trace?: boolean; headers?: Record<string, string> }): Promise<GraphQLResult>;
  stop(): Promise<void>;
}

export async function startTestGateway(config: C360Config): Promise<TestGateway> {
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(chunk.toString('utf8'));
      callback();
    },
  });
  const runtime = createRuntime(config, createLogger({ level: 'debug', destination }));
  const gateway: Gateway = await startGateway(runtime, { port: 0, host: '127.0.0.1' });
  // keepWarm auto (the default) builds the link map at start, /ready saying "warming" meanwhile:
  // a test starts once that build settled, as a load balancer waits for /ready. A test that sets
  // keepWarm itself watches the warming.
  if ((config.analytics?.linkMap.keepWarm ?? 'auto') === 'auto') await linkMapCacheOf(runtime).warmed();
  return {
    url: gateway.url,
    runtime,
    logs,
    async query(query, variables, options = {}) {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(options.trace === true ? { 'x-c360-trace': '1' } : {}), ...options.headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as Omit<GraphQLResult, 'status'>;
      return { status: response.status, ...body };
    },
    async stop() {
      await gateway.stop();
      await runtime.close();
    },
  };
}

/** Statements per source entity in a trace, e.g. { "crm.contact": 1, "shop.order": 1 }. */
export function statementsByEntity(trace: ReadonlyArray<SourceCall> | undefined): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of trace ?? []) counts[`${call.source}.${call.entity}`] = (counts[`${call.source}.${call.entity}`] ?? 0) + 1;
  return counts;
}
