/**
 * The demo's two REST services (helpdesk, company registry) started beside the databases
 * from the same generated world, and their c360.yaml entries merged into the demo config.
 * Shared by `c360 demo` and the tests, so both run the same wiring.
 */
import { randomBytes } from 'node:crypto';
import { startHelpdeskServer, type HelpdeskServer } from './helpdesk/server.js';
import { startRegistryServer, type RegistryServer } from './registry/server.js';
import { demoRestRawConfig, type DemoRestRawConfig } from './rest-config.js';
import type { DemoWorld } from './world-types.js';

export interface DemoRestServices {
  readonly helpdesk: HelpdeskServer;
  readonly registry: RegistryServer;
  /** The `sources` and `entities` entries that map `ticket` and `company` onto them. */
  readonly rawConfig: DemoRestRawConfig;
  stop(): Promise<void>;
}

/** Both services on free ports of 127.0.0.1 (port 0), with a fresh helpdesk token. */
export async function startDemoRestServices(world: Pick<DemoWorld, 'tickets' | 'companies'>): Promise<DemoRestServices> {
  const token = randomBytes(16).toString('hex');
  const helpdesk = await startHelpdeskServer({ tickets: world.tickets, token, port: 0 });
  let registry: RegistryServer;
  try {
    registry = await startRegistryServer({ companies: world.companies, port: 0 });
  } catch (error) {
    await helpdesk.stop();
    throw error;
  }
  return {
    helpdesk,
    registry,
    rawConfig: demoRestRawConfig({ helpdeskUrl: helpdesk.url, helpdeskToken: token, registryUrl: registry.url }),
    async stop() {
      await Promise.allSettled([helpdesk.stop(), registry.stop()]);
    },
  };
}

/** A raw demo config with the REST sources and entities added beside the SQL ones. */
export function withRestSources<T extends { readonly sources: object; readonly entities: object }>(raw: T, rest: DemoRestRawConfig): T {
  return { ...raw, sources: { ...raw.sources, ...rest.sources }, entities: { ...raw.entities, ...rest.entities } };
}
