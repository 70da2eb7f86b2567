/** A small demo world seeded into fresh databases on the real PostgreSQL and MariaDB. */
import { createDatabase, dropDatabase, openSqlAdmin } from '../../connectors/admin.js';
import { parseConfig } from '../../src/config/parse.js';
import type { C360Config } from '../../src/config/types.js';
import { demoRawConfig } from '../../src/demo/config.js';
import { generateDemoWorld, generateLiveDemoWorld } from '../../src/demo/generator.js';
import { startDemoRestServices, withRestSources, type DemoRestServices } from '../../src/demo/rest-services.js';
import { seedCrm, seedLoyalty, seedShop } from '../../src/demo/seed.js';
import type { DemoWorld } from '../../src/demo/world-types.js';
import { MYSQL_SERVER_URL, POSTGRES_SERVER_URL, uniqueDatabaseName } from './servers.js';

export interface SeededWorld {
  readonly world: DemoWorld;
  readonly crmUrl: string;
  readonly shopUrl: string;
  /** The stores' loyalty system's database, when seeded with `{ loyalty: true }`; config() then maps it. */
  readonly loyaltyUrl: string | undefined;
  /** The demo helpdesk and company registry, when seeded with `{ restServices: true }`; config() then maps them. */
  readonly rest: DemoRestServices | undefined;
  /** The demo mapping over these databases; `shopUrl` overrides where the shop is said to be. */
  config(overrides?: { shopUrl?: string; crmUrl?: string }): C360Config;
  drop(): Promise<void>;
}

/** `live`: generated as `npm start` does, up to now (default: as of the generator's fixed date). */
export async function seedDemoWorld(options: {
  customers: number;
  seed?: number;
  restServices?: boolean;
  live?: boolean;
  loyalty?: boolean;
}): Promise<SeededWorld> {
  const settings = { seed: options.seed ?? 7, customers: options.customers };
  const world = options.live === true ? generateLiveDemoWorld(settings) : generateDemoWorld(settings);
  const crmName = uniqueDatabaseName('c360_crm');
  const shopName = uniqueDatabaseName('c360_shop');
  const crmUrl = await createDatabase('postgres', POSTGRES_SERVER_URL, crmName);
  const shopUrl = await createDatabase('mysql', MYSQL_SERVER_URL, shopName);
  const loyaltyName = options.loyalty === true ? uniqueDatabaseName('c360_loyalty') : undefined;
  const loyaltyUrl = loyaltyName === undefined ? undefined : await createDatabase('postgres', POSTGRES_SERVER_URL, loyaltyName);
  const crm = await openSqlAdmin('postgres', crmUrl);
  const shop = await openSqlAdmin('mysql', shopUrl);
  const loyalty = loyaltyUrl === undefined ? undefined : await openSqlAdmin('postgres', loyaltyUrl);
  try {
    await seedCrm(crm, world);
    await seedShop(shop, world);
    if (loyalty !== undefined) await seedLoyalty(loyalty, world);
  } finally {
    await crm.close();
    await shop.close();
    await loyalty?.close();
  }
  const rest = options.restServices === true ? await startDemoRestServices(world) : undefined;
  return {
    world,
    crmUrl,
    shopUrl,
    loyaltyUrl,
    rest,
    config: (overrides = {}) => {
      const raw = demoRawConfig({
        crmUrl: overrides.crmUrl ?? crmUrl,
        shopUrl: overrides.shopUrl ?? shopUrl,
        shopKind: 'mysql',
        port: 0,
        ...(loyaltyUrl === undefined ? {} : { loyaltyUrl }),
      });
      return parseConfig(rest === undefined ? raw : withRestSources(raw, rest.rawConfig));
    },
    async drop() {
      await rest?.stop();
      await dropDatabase('postgres', POSTGRES_SERVER_URL, crmName);
      await dropDatabase('mysql', MYSQL_SERVER_URL, shopName);
      if (loyaltyName !== undefined) await dropDatabase('postgres', POSTGRES_SERVER_URL, loyaltyName);
    },
  };
}
