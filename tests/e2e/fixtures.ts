/** The demo customer the browser tests open, chosen through c360 itself so every panel has data. */
import type { TestGateway } from '../support/gateway.js';

export interface RichCustomer {
  readonly id: string;
  readonly displayName: string;
  readonly email: string;
  /** A phone that customerBy(phone) resolves to this very customer. */
  readonly phone: string;
  readonly lastName: string;
  readonly orders: ReadonlyArray<{ readonly id: string; readonly lines: ReadonlyArray<unknown> }>;
  readonly tickets: ReadonlyArray<{ readonly id: string }>;
  readonly consents: ReadonlyArray<{ readonly purpose: string }>;
  readonly legalName: string;
}

interface Node {
  readonly id: string;
  readonly displayName: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly name: { readonly last: string | null } | null;
  readonly orders: { readonly nodes: ReadonlyArray<{ readonly id: string }> } | null;
  readonly tickets: ReadonlyArray<{ readonly id: string }> | null;
  readonly consents: ReadonlyArray<{ readonly purpose: string }> | null;
  readonly account: { readonly company: { readonly legalName: string | null } | null } | null;
}

const PAGE = `query($after: String) { customers(first: 20, after: $after) { pageInfo { hasNextPage endCursor } edges { node {
  id displayName email phone name { last }
  orders(first: 10) { nodes { id } }
  tickets(first: 20) { id } consents { purpose } account { company { legalName } } } } } }`;

/** The first customer with orders, tickets, consents and a registered company. */
export async function findRichCustomer(gateway: TestGateway): Promise<RichCustomer> {
  let after: string | null = null;
  for (let page = 0; page < 10; page++) {
    const result = await gateway.query(PAGE, { after });
    if (result.errors !== undefined) throw new Error(`customers page failed: ${JSON.stringify(result.errors)}`);
    const connection = result.data?.customers as { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ node: Node }> };
    for (const { node } of connection.edges) {
      const orders = node.orders?.nodes ?? [];
      const legalName = node.account?.company?.legalName;
      if (
        node.displayName &&
        node.email &&
        node.phone &&
        node.name?.last &&
        orders.length > 0 &&
        (node.tickets?.length ?? 0) > 0 &&
        (node.consents?.length ?? 0) > 0 &&
        legalName
      ) {
        const byPhone = await gateway.query(`query($phone: String!) { customerBy(phone: $phone) { id } }`, { phone: node.phone });
        if ((byPhone.data?.customerBy as { id: string } | null)?.id !== node.id) continue;
        // Lines are asked for one customer only: a page of orders with their lines is over the query-cost limit.
        const detail = await gateway.query(`query($id: ID!) { customer(id: $id) { orders(first: 10) { nodes { id lines { id } } } } }`, { id: node.id });
        const withLines = (detail.data?.customer as { orders: { nodes: RichCustomer['orders'] } }).orders.nodes;
        return {
          id: node.id,
          displayName: node.displayName,
          email: node.email,
          phone: node.phone,
          lastName: node.name.last,
          orders: withLines,
          tickets: node.tickets ?? [],
          consents: node.consents ?? [],
          legalName,
        };
      }
    }
    if (!connection.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor;
  }
  throw new Error('the demo world has no customer with orders, tickets, consents and a company');
}
