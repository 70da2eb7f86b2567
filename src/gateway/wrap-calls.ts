import type { CallOptions, Connector } from '../../connectors/contract.js';

/** Wraps each call method of `connector` with `wrap(method)`, inheriting everything else. */
export function wrapCalls(
  connector: Connector,
  wrap: <R, T>(call: (request: R, options: CallOptions) => Promise<T>) => (request: R, options: CallOptions) => Promise<T>,
): Connector {
  const wrapper: Connector = Object.create(connector) as Connector;
  return Object.assign(wrapper, {
    load: wrap(connector.load.bind(connector)),
    ...(connector.loadUnion === undefined ? {} : { loadUnion: wrap(connector.loadUnion.bind(connector)) }),
    ...(connector.scan === undefined ? {} : { scan: wrap(connector.scan.bind(connector)) }),
    ...(connector.aggregate === undefined ? {} : { aggregate: wrap(connector.aggregate.bind(connector)) }),
    ...(connector.analytics === undefined ? {} : { analytics: wrap(connector.analytics.bind(connector)) }),
  });
}
