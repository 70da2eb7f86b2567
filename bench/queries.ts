/** The three operations of bench/load.ts, sent as they are to c360 and to the floor. */

const ORDERS = 'orders(first: 10) { nodes { id status placedAt total lines { id sku quantity lineTotal product { id name price } } } }';

/** One customer by e-mail with the last 10 orders, their lines and products. */
export const Q1 = `query Q1($email: String!) {
  customerBy(email: $email) {
    id
    contact { id firstName lastName email phone }
    shopAccounts { id email firstName lastName }
    ${ORDERS}
  }
}`;

/** A page of 50 customers with the same subtree. */
export const Q2 = `query Q2($after: String) {
  customers(first: 50, after: $after) {
    edges { node { id contact { id firstName lastName email } ${ORDERS} } }
    pageInfo { endCursor }
  }
}`;

/** A page of 50 CRM contacts only. */
export const CRM = `query CRM($after: String) {
  customers(first: 50, after: $after) {
    edges { node { id contact { id firstName lastName email phone } } }
    pageInfo { endCursor }
  }
}`;

export type QueryName = 'Q1' | 'Q2' | 'CRM';
export const QUERIES: Readonly<Record<QueryName, string>> = { Q1, Q2, CRM };
