/**
 * The floor of bench/load.ts: an HTTP server answering the three operations of ./queries.ts
 * with the raw drivers (pg for the CRM, mysql2 for the shop) making the ideal calls, and
 * returning the same JSON as c360 (the bench checks it before timing):
 *
 * - Q1 (customer by e-mail): the CRM contacts holding the e-mail, and one joined shop
 *   statement (shop customers by e-mail → last 10 orders → lines → products), in parallel;
 * - Q2 (page of 50): the CRM page (with each e-mail's holder count for the switchboard
 *   guard, a correlated count on `lower(email)`), then one joined shop statement for the
 *   subtree of the 50 customers;
 * - CRM-only page: one statement.
 *
 * Same pools (size and options) as the gateway's connectors; the same match semantics as
 * c360 on these indexes (e-mails found through `lower(email)` on PostgreSQL and the
 * case-insensitive collation on MariaDB, then compared trimmed and lower-cased), the same
 * normalization helpers and the guard (an e-mail held by more than maxRecordsPerIdentifier
 * records of one source links nobody). bench/ may import the drivers directly.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import mysql from 'mysql2/promise';
import { createFloorPools, type FloorOptions } from './floor-pools.js';
import { encodeCustomerId } from '../src/identity/customer-id.js';
import { normalizeEmail } from '../src/identity/email.js';
import { emailsOf } from '../src/identity/link.js';
import { encodeCursor } from '../src/resolvers/rows.js';

type Record_ = Readonly<Record<string, unknown>>;

export interface Floor {
  readonly url: string;
  /** Statements sent per source by the last request of each operation. */
  readonly statements: Readonly<Record<string, { crm: number; shop: number }>>;
  close(): Promise<void>;
}

const SHOP_SUBTREE_COLUMNS =
  'r.k, r.cid, r.cemail, r.cfirst, r.clast, r.oid, r.ostatus, r.oplaced, r.ototal, l.id AS lid, l.sku AS lsku, l.quantity AS lqty, l.line_total AS ltotal, p.id AS pid, p.name AS pname, p.price AS pprice';

/** Shop customers holding the e-mails, their last 10 orders (per e-mail), lines and products: one statement. */
const SHOP_SUBTREE =
  `SELECT ${SHOP_SUBTREE_COLUMNS} FROM (` +
  'SELECT LOWER(TRIM(c.email)) AS k, c.id AS cid, c.email AS cemail, c.first_name AS cfirst, c.last_name AS clast, ' +
  'o.id AS oid, o.status AS ostatus, o.placed_at AS oplaced, o.total AS ototal, ' +
  'ROW_NUMBER() OVER (PARTITION BY LOWER(TRIM(c.email)) ORDER BY o.placed_at DESC, o.id DESC) AS rn ' +
  'FROM customers c LEFT JOIN orders o ON o.customer_id = c.id WHERE c.email IN (?)) r ' +
  'LEFT JOIN order_lines l ON l.order_id = r.oid LEFT JOIN products p ON p.id = l.product_id ' +
  'WHERE r.oid IS NULL OR r.rn <= 10 ORDER BY r.k, r.rn, l.id';

interface ShopCustomer {
  readonly id: string;
  readonly email: string | null;
  readonly firstName: string | null;
  readonly lastName: string | null;
}

interface Order {
  readonly id: string;
  readonly status: string | null;
  readonly placedAt: string | null;
  readonly total: number | null;
  readonly lines: Line[];
}

interface Line {
  readonly id: string;
  readonly sku: string | null;
  readonly quantity: number | null;
  readonly lineTotal: number | null;
  readonly product: { readonly id: string; readonly name: string | null; readonly price: number | null } | null;
}

interface EmailHolders {
  readonly customers: ShopCustomer[];
  readonly orders: Order[];
}

export async function startFloor(options: FloorOptions): Promise<Floor> {
  const { crmPool, shopPool } = createFloorPools(options);
  const { settings } = options;
  const cap = settings.maxRecordsPerIdentifier;
  const statements: Record<string, { crm: number; shop: number }> = {};
  // Stored e-mails carry surrounding spaces; the index-served lookups pad the keys for them, as c360 does.
  const crmPadding = (
    await crmPool.query<{ lead: number; trail: number }>(
      'SELECT COALESCE(MAX(LENGTH(email) - LENGTH(LTRIM(email))), 0)::int AS lead, COALESCE(MAX(LENGTH(email) - LENGTH(RTRIM(email))), 0)::int AS trail FROM contacts',
    )
  ).rows[0]!;
  const [shopProbe] = await shopPool.query<mysql.RowDataPacket[]>(
    'SELECT COALESCE(MAX(CHAR_LENGTH(email) - CHAR_LENGTH(LTRIM(email))), 0) AS lead FROM customers',
  );
  const shopLead = Number(shopProbe[0]!.lead);
  const pad = (key: string, lead: number, trail: number): string[] =>
    Array.from({ length: lead + 1 }, (_, l) => Array.from({ length: trail + 1 }, (__, t) => `${' '.repeat(l)}${key}${' '.repeat(t)}`)).flat();
  const crmPadded = (key: string): string[] => pad(key, crmPadding.lead, crmPadding.trail);
  // The collation ignores trailing spaces (PAD SPACE): only leading ones need a key.
  const shopPadded = (keys: ReadonlyArray<string>): string[] => keys.flatMap((key) => pad(key, shopLead, 0));
  const holdersTerm = Array.from({ length: crmPadding.lead + 1 }, (_, l) =>
    Array.from(
      { length: crmPadding.trail + 1 },
      (__, t) => `${l === 0 ? '' : `'${' '.repeat(l)}' || `}lower(trim(c.email))${t === 0 ? '' : ` || '${' '.repeat(t)}'`}`,
    ),
  )
    .flat()
    .join(', ');

  function counter(operation: string) {
    const count = { crm: 0, shop: 0 };
    statements[operation] = count;
    return {
      async crm(text: string, values: ReadonlyArray<unknown>): Promise<Record_[]> {
        count.crm++;
        return (await crmPool.query<Record<string, unknown>>(text, [...values])).rows;
      },
      async shop(text: string, values: ReadonlyArray<unknown>): Promise<Record_[]> {
        count.shop++;
        const [rows] = await shopPool.query<mysql.RowDataPacket[]>({ sql: text, values: [...values] });
        return rows;
      },
    };
  }
  type Session = ReturnType<typeof counter>;

  /** Per normalized e-mail: its shop holders and their last 10 orders (with lines and products). */
  async function shopSubtree(s: Session, emails: ReadonlyArray<string>): Promise<Map<string, EmailHolders>> {
    const byEmail = new Map<string, EmailHolders>();
    if (emails.length === 0) return byEmail;
    const orders = new Map<string, Order>();
    for (const record of await s.shop(SHOP_SUBTREE, [shopPadded(emails)])) {
      const key = String(record.k);
      // The collation finds "X@Y.FR " too; the exact match is the trimmed, lower-cased value.
      if (!emails.includes(key)) continue;
      let holders = byEmail.get(key);
      if (holders === undefined) byEmail.set(key, (holders = { customers: [], orders: [] }));
      const customerId = String(record.cid);
      if (!holders.customers.some((customer) => customer.id === customerId)) {
        holders.customers.push({ id: customerId, email: text(record.cemail), firstName: text(record.cfirst), lastName: text(record.clast) });
      }
      if (record.oid === null) continue;
      const orderKey = `${key}\u0000${String(record.oid)}`;
      let order = orders.get(orderKey);
      if (order === undefined) {
        order = { id: String(record.oid), status: upper(record.ostatus), placedAt: instant(record.oplaced), total: number(record.ototal), lines: [] };
        orders.set(orderKey, order);
        holders.orders.push(order);
      }
      if (record.lid !== null) {
        order.lines.push({
          id: String(record.lid),
          sku: text(record.lsku),
          quantity: number(record.lqty),
          lineTotal: number(record.ltotal),
          product: record.pid === null ? null : { id: String(record.pid), name: text(record.pname), price: number(record.pprice) },
        });
      }
    }
    for (const holders of byEmail.values()) holders.customers.sort((a, b) => Number(a.id) - Number(b.id));
    return byEmail;
  }

  const linkedOf = (holders: EmailHolders | undefined, crmHolders: number): EmailHolders | undefined =>
    holders === undefined || holders.customers.length > cap || crmHolders > cap ? undefined : holders;

  async function q1(variables: Record_): Promise<unknown> {
    const s = counter('Q1');
    const email = normalizeEmail(typeof variables.email === 'string' ? variables.email : null);
    if (email === null) return { customerBy: null };
    const [contacts, shop] = await Promise.all([
      s.crm('SELECT id, first_name, last_name, email, phone FROM contacts WHERE lower(email) = ANY($1) ORDER BY id', [crmPadded(email)]),
      shopSubtree(s, [email]),
    ]);
    const holders = contacts.filter((row) => normalizeEmail(text(row.email)) === email && String(row.email).trim().toLowerCase() === email);
    const contact = holders[0];
    if (contact === undefined) throw new Error(`the floor answers Q1 for CRM holders only (${email})`);
    const linked = emailsOf({ email: text(contact.email) }, settings).includes(email) ? linkedOf(shop.get(email), holders.length) : undefined;
    return {
      customerBy: {
        id: encodeCustomerId({ entity: 'contact', key: String(contact.id) }),
        contact: {
          id: String(contact.id),
          firstName: text(contact.first_name),
          lastName: text(contact.last_name),
          email: text(contact.email),
          phone: text(contact.phone),
        },
        shopAccounts: linked?.customers ?? [],
        orders: { nodes: linked?.orders ?? [] },
      },
    };
  }

  async function page(operation: 'Q2' | 'CRM', variables: Record_): Promise<unknown> {
    const s = counter(operation);
    const after = typeof variables.after === 'string' ? String(JSON.parse(Buffer.from(variables.after, 'base64url').toString('utf8'))[1]) : null;
    const where = after === null ? '' : 'WHERE c.id > $1 ';
    const limit = after === null ? '$1' : '$2';
    const values = after === null ? [50] : [after, 50];
    if (operation === 'CRM') {
      const rows = await s.crm(`SELECT c.id, c.first_name, c.last_name, c.email, c.phone FROM contacts c ${where}ORDER BY c.id LIMIT ${limit}`, values);
      return {
        customers: {
          edges: rows.map((row) => ({
            node: {
              id: encodeCustomerId({ entity: 'contact', key: String(row.id) }),
              contact: { id: String(row.id), firstName: text(row.first_name), lastName: text(row.last_name), email: text(row.email), phone: text(row.phone) },
            },
          })),
          pageInfo: { endCursor: rows.length === 0 ? null : encodeCursor([0, String(rows.at(-1)!.id)]) },
        },
      };
    }
    // Each e-mail's CRM holders, for the guard: found as c360 finds them (lower(email), then trimmed).
    const rows = await s.crm(
      `SELECT c.id, c.first_name, c.last_name, c.email, (SELECT count(*) FROM contacts d WHERE lower(d.email) IN (${holdersTerm}) AND lower(trim(d.email)) = lower(trim(c.email))) AS holders ` +
        `FROM contacts c ${where}ORDER BY c.id LIMIT ${limit}`,
      values,
    );
    const emails = rows.map((row) => emailsOf({ email: text(row.email) }, settings));
    const shop = await shopSubtree(s, [...new Set(emails.flat())]);
    return {
      customers: {
        edges: rows.map((row, index) => {
          const email = emails[index]![0];
          const linked = email === undefined ? undefined : linkedOf(shop.get(email), Number(row.holders));
          return {
            node: {
              id: encodeCustomerId({ entity: 'contact', key: String(row.id) }),
              contact: { id: String(row.id), firstName: text(row.first_name), lastName: text(row.last_name), email: text(row.email) },
              orders: { nodes: linked?.orders ?? [] },
            },
          };
        }),
        pageInfo: { endCursor: rows.length === 0 ? null : encodeCursor([0, String(rows.at(-1)!.id)]) },
      },
    };
  }

  async function answer(request: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { operationName?: string; variables?: Record_ };
    const variables = body.variables ?? {};
    switch (body.operationName) {
      case 'Q1':
        return JSON.stringify({ data: await q1(variables) });
      case 'Q2':
      case 'CRM':
        return JSON.stringify({ data: await page(body.operationName, variables) });
      default:
        throw new Error(`the floor does not know operation ${String(body.operationName)}`);
    }
  }

  const server: Server = createServer((request, response) => {
    answer(request).then(
      (json) => {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
        response.end(json);
      },
      (error: unknown) => {
        const json = JSON.stringify({ errors: [{ message: error instanceof Error ? error.message : String(error) }] });
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(json);
      },
    );
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    statements,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([crmPool.end(), shopPool.end()]);
    },
  };
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return null;
}

function number(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}

function upper(value: unknown): string | null {
  return typeof value === 'string' ? value.toUpperCase() : null;
}

/** MariaDB DATETIME(3) text, UTC: "2025-03-01 10:00:00.000" -> ISO 8601. */
function instant(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  return new Date(`${value.replace(' ', 'T')}Z`).toISOString();
}
