/** What the contract suite's parts share: a context to open connectors, and a call recorder. */
import type { SqlKind } from '../../connectors/admin.js';
import type { CallOptions, Connector, LoadRequest, Row, SourceCall } from '../../connectors/contract.js';
import type { SqlSourceConfig } from '../../connectors/mapping.js';
import { CUSTOMER_IDS } from './fixtures.js';
import type { Layout } from './fixtures.js';

/** Opens connectors on the seeded database and closes them all after the suite. */
export interface ContractContext {
  readonly kind: SqlKind;
  /** The connector on the well-mapped layout, shared by the suite. */
  connector(): Connector;
  /** An identifier as the dialect quotes it, to look for in statement text. */
  quote(name: string): string;
  layout(): Layout;
  open(overrides?: Partial<SqlSourceConfig>): Connector;
  url(): string;
}

/** Call options whose onCall records every statement, as dataloader's idLoader keeps loadCalls. */
export function recordCalls(signal: AbortSignal = new AbortController().signal): { calls: SourceCall[]; options: CallOptions } {
  const calls: SourceCall[] = [];
  return { calls, options: { signal, onCall: (call) => calls.push(call) } };
}

/** Orders of customers (all of them unless `keys` says otherwise), ids only unless `projection` says otherwise. */
export function loadCustomerOrders(
  context: ContractContext,
  request: Partial<LoadRequest>,
  options: CallOptions = recordCalls().options,
): Promise<ReadonlyArray<ReadonlyArray<Row>>> {
  return context.connector().load({ entity: 'order', keyField: 'customerId', keyMatch: 'exact', keys: CUSTOMER_IDS, projection: ['id'], ...request }, options);
}

/** Every returned id, in numeric order. */
export function idsOf(rowSets: ReadonlyArray<ReadonlyArray<Row>>): string[] {
  return rowSets
    .flat()
    .map((row) => String(row.id))
    .sort((a, b) => Number(a) - Number(b));
}
