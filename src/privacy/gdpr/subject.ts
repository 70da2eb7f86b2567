/**
 * GDPR subject access and erasure. c360 keeps no copy, so both ask every source at the
 * time of the request: the export reads the whole customer through the canonical schema
 * (an internal call, so no field is withheld), and the erasure plan lists source records.
 */
import { execute, parse, type GraphQLSchema } from 'graphql';
import type { RequestContext } from '../../gateway/context.js';
import type { PrivacyRuntime } from '../runtime.js';

const ADDRESS = 'address { street postcode city country }';
const EXPORT = parse(`query SubjectAccess($id: ID!) {
  customer(id: $id) {
    id kind displayName email phone name { first last full } ${ADDRESS}
    sources { source entity key matchedBy }
    contact { id kind firstName lastName companyName email phone mobile birthDate ${ADDRESS} createdAt updatedAt }
    account { id name siren siret industry }
    consents { id purpose channel status recordedAt }
    interactions(first: 1000) { id type occurredAt subject agent storeId }
    shopAccounts { id email phone firstName lastName companyName siret birthDate ${ADDRESS} createdAt updatedAt }
    orders(first: 100) { nodes { id channel status placedAt total currency storeId lines { id sku productName quantity unitPrice lineTotal } } }
    events(first: 1000) { id type occurredAt query sessionId device product { id sku } }
    tickets(first: 100) { id subject status priority channel createdAt updatedAt solvedAt satisfaction messages { author body createdAt } }
  }
}`);

export interface ExportResult {
  readonly customerId: string;
  readonly data: Record<string, unknown> | null;
  readonly unavailable: ReadonlyArray<string>;
}

/** Null data when no source holds the customer. */
export async function exportSubject(schema: GraphQLSchema, ctx: RequestContext, customerId: string): Promise<ExportResult> {
  // Without the caller's privacy context the call is internal: no field is withheld from the export.
  const internal: RequestContext = { ...ctx, privacy: undefined };
  const result = await execute({ schema, document: EXPORT, variableValues: { id: customerId }, contextValue: internal });
  const unavailable = [
    ...new Set((result.errors ?? []).map((error) => `${error.path?.join('.') ?? ''}: ${String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR')}`)),
  ];
  const customer = (result.data?.customer ?? null) as Record<string, unknown> | null;
  return { customerId, data: customer, unavailable };
}

export interface ErasureTarget {
  readonly source: string;
  readonly entity: string;
  readonly keys: ReadonlyArray<string>;
}

type Keyed = { id?: unknown };
const ids = (rows: unknown): string[] => (Array.isArray(rows) ? (rows as Keyed[]).map((row) => String(row.id)) : []);

/** The records to erase in each source, from an export's data. */
export function erasureTargets(data: Record<string, unknown>, privacy: Pick<PrivacyRuntime, 'locate'>): ErasureTarget[] {
  const orders = (data.orders as { nodes?: Array<Keyed & { lines?: Keyed[] }> } | null)?.nodes ?? [];
  const contact = data.contact as Keyed | null;
  const byEntity: Array<[string, string[]]> = [
    ['contact', contact === null || contact === undefined ? [] : [String(contact.id)]],
    ['consent', ids(data.consents)],
    ['interaction', ids(data.interactions)],
    ['shopCustomer', ids(data.shopAccounts)],
    ['order', orders.map((order) => String(order.id))],
    ['orderLine', orders.flatMap((order) => ids(order.lines))],
    ['webEvent', ids(data.events)],
    ['ticket', ids(data.tickets)],
  ];
  // One target per entity and source: a card holder's receipts are erased in the loyalty system, by its own keys.
  const targets = new Map<string, { source: string; entity: string; keys: string[] }>();
  for (const [entity, keys] of byEntity) {
    for (const key of keys) {
      const at = privacy.locate(entity, key) ?? { source: 'unknown', key };
      const id = `${entity}\u0000${at.source}`;
      let target = targets.get(id);
      if (target === undefined) targets.set(id, (target = { source: at.source, entity, keys: [] }));
      target.keys.push(at.key);
    }
  }
  return [...targets.values()];
}
