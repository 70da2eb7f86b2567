/**
 * A gateway over a seeded demo world whose MariaDB shop is reached through a TCP proxy the
 * test controls (cut, black-holed, restored), with short shop limits so failures are bounded.
 */
import type { LimitsConfig } from '../../src/config/limits-config.js';
import type { SeededWorld } from './demo-world.js';
import { startTestGateway, type TestGateway } from './gateway.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

export interface ProxiedShopGateway {
  readonly proxy: TcpProxy;
  readonly gateway: TestGateway;
}

export async function startGatewayWithProxiedShop(
  seeded: SeededWorld,
  shopLimits: {
    readonly timeoutMillis: number;
    readonly connectTimeoutMillis: number;
    readonly circuitBreaker?: { readonly consecutiveFailures: number; readonly halfOpenAfterMillis: number };
  },
  limits: LimitsConfig,
): Promise<ProxiedShopGateway> {
  const shop = new URL(seeded.shopUrl);
  const proxy = await startTcpProxy(shop.hostname, Number(shop.port || 3306));
  shop.port = String(proxy.port);
  const config = seeded.config({ shopUrl: shop.toString() });
  const shopSource = config.sources.shop!;
  if (shopSource.kind !== 'mysql') throw new Error('the demo shop is expected on MariaDB');
  const gateway = await startTestGateway({ ...config, sources: { ...config.sources, shop: { ...shopSource, ...shopLimits } }, limits });
  return { proxy, gateway };
}
