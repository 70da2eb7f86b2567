/**
 * `c360 demo` (and `c360 serve` with no config): the demo world on embedded or local
 * databases, seeded, served, with the URL and a sample query printed. Three silos: the CRM
 * and the stores' loyalty system each on an embedded PostgreSQL of its own (PGlite serves
 * one database per instance), the shop on the local MariaDB or a third embedded PostgreSQL.
 */
import { parseConfig } from '../config/parse.js';
import { createLogger } from '../gateway/logger.js';
import { createRuntime } from '../gateway/runtime.js';
import { startGateway } from '../gateway/server.js';
import { waitForSignal } from '../cli/signals.js';
import { demoRawConfig } from './config.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { generateLiveDemoWorld } from './generator.js';
import { startDemoRestServices, withRestSources } from './rest-services.js';
import { seedCrm, seedDatabases, seedLoyalty, seedShop } from './seed.js';
import { chooseShopTarget, type ShopTarget } from './shop-target.js';
import type { DemoWorld } from './world-types.js';
import type { Logger } from '../gateway/logger.js';

export interface DemoOptions {
  readonly port?: number | undefined;
  readonly customers?: number;
  readonly seed?: number;
}

const SAMPLE_QUERY = `{
  customers(first: 3) {
    edges { node { id displayName email phone
      sources { source entity key matchedBy }
      orders(first: 2) { nodes { placedAt channel total lines { productName quantity } } } } }
  }
}`;

export interface RunningDemo {
  readonly url: string;
  readonly world: DemoWorld;
  /** Where the shop lives: its own database on the local MariaDB, or an embedded PostgreSQL. */
  readonly shop: ShopTarget;
  /** Stops the gateway and the services, and drops the demo's databases. */
  stop(): Promise<void>;
}

export async function runDemo(options: DemoOptions = {}): Promise<number> {
  const demo = await startDemo(options);
  // Ctrl-C (SIGINT/SIGTERM) still stops the demo, which drops its shop database.
  await waitForSignal();
  await demo.stop();
  return 0;
}

export async function startDemo(
  options: DemoOptions & { readonly logger?: Logger; readonly say?: (line: string) => void; readonly mysqlUrl?: string } = {},
): Promise<RunningDemo> {
  const logger = options.logger ?? createLogger();
  const say = options.say ?? ((line: string) => process.stderr.write(`${line}\n`));
  const customers = options.customers ?? Number(process.env.C360_DEMO_CUSTOMERS ?? 2_000);
  const world = generateLiveDemoWorld({ seed: options.seed ?? 360, customers });
  say(`c360 demo: ${world.contacts.length} CRM contacts, ${world.shopCustomers.length} shop customers, ${world.orders.length} orders`);

  // What has started, stopped in reverse when a later step fails (so no shop database is left behind).
  const started: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of started.reverse()) await stop().catch(() => undefined);
  };
  try {
    const crm = await startEmbeddedPostgres();
    started.push(() => crm.stop());
    const loyalty = await startEmbeddedPostgres();
    started.push(() => loyalty.stop());
    const shop = await chooseShopTarget(options.mysqlUrl ?? process.env.C360_DEMO_MYSQL_URL);
    started.push(() => shop.stop());
    if (shop.kind === 'postgres') say(`notice: ${shop.notice}`);
    await seedDatabases(world, [
      [crm.url, 'postgres', seedCrm],
      [shop.url, shop.kind, seedShop],
      [loyalty.url, 'postgres', seedLoyalty],
    ]);
    say(
      `c360 demo: CRM on embedded PostgreSQL (${crm.url}), shop on ${shop.kind === 'mysql' ? 'the local MariaDB' : 'embedded PostgreSQL'} (${redact(shop.url)})`,
    );
    say(
      `c360 demo: stores' loyalty system on embedded PostgreSQL (${loyalty.url}): ${world.loyaltyCards.length} card holders, ${world.receipts.length} receipts`,
    );

    const rest = await startDemoRestServices(world);
    started.push(() => rest.stop());
    say(
      `c360 demo: helpdesk at ${rest.helpdesk.url} (${world.tickets.length} tickets), company registry at ${rest.registry.url} (${world.companies.length} companies)`,
    );

    const port = options.port ?? Number(process.env.PORT ?? 4000);
    const config = parseConfig(
      withRestSources(demoRawConfig({ crmUrl: crm.url, shopUrl: shop.url, shopKind: shop.kind, port, loyaltyUrl: loyalty.url }), rest.rawConfig),
    );
    const runtime = createRuntime(config, logger);
    started.push(() => runtime.close());
    const gateway = await startGateway(runtime, { port });
    started.push(() => gateway.stop());
    say(
      `\nc360 is serving the demo world at ${gateway.url}\n\nIn a browser: ${gateway.url} (GraphQL explorer), ${new URL('/ui/', gateway.url).href} (customer 360), ${new URL('/ui/segments', gateway.url).href} (segments)\n\nTry:\n  curl -s ${gateway.url} -H 'content-type: application/json' \\\n    -d '${JSON.stringify({ query: SAMPLE_QUERY.replace(/\s+/g, ' ') })}'\n`,
    );
    return {
      url: gateway.url,
      world,
      shop,
      async stop() {
        await gateway.stop();
        await runtime.close();
        await rest.stop();
        await shop.stop();
        await loyalty.stop();
        await crm.stop();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}
