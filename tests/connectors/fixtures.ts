/**
 * The operator layout the contract suite runs against: names that are not the canonical
 * ones (a table called `group` in its own schema, `cust orders` with a space, columns
 * like `CUST_NO` and `Phone Number`), enum codes, a soft-delete flag. The same rows are
 * kept here in canonical form so tests derive their expectations from data, not magic.
 */
import { openSqlAdmin } from '../../connectors/admin.js';
import type { SqlKind } from '../../connectors/admin.js';
import type { Row, Scalar } from '../../connectors/contract.js';
import type { EntityMapping } from '../../connectors/mapping.js';

export interface OrderFixture {
  readonly id: number;
  readonly customerId: string;
  readonly sourceChannel: 'web' | 'W' | 'store' | 'kiosk';
  readonly sourceStatus: 1 | 2 | 9;
  readonly placedAt: string;
  readonly total: number;
  readonly storeId: string | null;
  readonly deleted: boolean;
}

export const CHANNEL_VALUES = { web: 'WEB', W: 'WEB', store: 'STORE' } as const;
export const STATUS_VALUES = { '1': 'PAID', '2': 'SHIPPED', '9': 'CANCELLED' } as const;

export const CUSTOMER_IDS = Array.from({ length: 60 }, (_unused, index) => `C${String(index + 1).padStart(3, '0')}`);

/** C001 has 15 orders, C004 none, the others `index % 4`; one deleted order; one "kiosk" channel. */
export const ORDERS: ReadonlyArray<OrderFixture> = buildOrders();

function buildOrders(): OrderFixture[] {
  const orders: OrderFixture[] = [];
  const add = (customerId: string, overrides: Partial<OrderFixture> = {}): void => {
    const id = orders.length + 1;
    const channels = ['store', 'web', 'W'] as const;
    const sourceChannel = channels[id % 3] ?? 'web';
    orders.push({
      id,
      customerId,
      sourceChannel,
      sourceStatus: id % 2 === 1 ? 1 : 2,
      placedAt: new Date(Date.UTC(2024, 2, 1, 10, 0, 0) + id * 86_400_000).toISOString(),
      total: Math.round(id * 10.25 * 100) / 100,
      storeId: sourceChannel === 'store' ? `S${id}` : null,
      deleted: false,
      ...overrides,
    });
  };
  CUSTOMER_IDS.forEach((customerId, index) => {
    const count = index === 0 ? 15 : (index + 1) % 4;
    for (let n = 0; n < count; n += 1) add(customerId);
  });
  add('C002', { deleted: true });
  add('C003', { sourceChannel: 'kiosk', sourceStatus: 9 });
  return orders;
}

/** Orders the static condition lets through. */
export function liveOrders(): OrderFixture[] {
  return ORDERS.filter((order) => !order.deleted);
}

export function ordersOf(customerId: string): OrderFixture[] {
  return liveOrders().filter((order) => order.customerId === customerId);
}

export function canonicalChannel(source: OrderFixture['sourceChannel']): string {
  return source === 'kiosk' ? source : CHANNEL_VALUES[source];
}

/** An order as the connector must return it. */
export function canonicalOrder(order: OrderFixture): Row {
  return {
    id: String(order.id),
    customerId: order.customerId,
    channel: canonicalChannel(order.sourceChannel),
    status: STATUS_VALUES[String(order.sourceStatus) as keyof typeof STATUS_VALUES],
    placedAt: order.placedAt,
    total: order.total,
    storeId: order.storeId,
    currency: 'EUR',
  };
}

export const CONTACTS = [
  { id: 'C001', email: ' Alice@Example.COM ', phone: '+33 6 12-34-56-78', kind: 'P', birthDate: '1990-01-01', vip: true, active: true },
  { id: 'C002', email: 'bob@example.com', phone: '06.12.34.56.79', kind: 'C', birthDate: '1985-12-31', vip: false, active: true },
  { id: 'C003', email: '50%_off@promo.example', phone: null, kind: 'X', birthDate: null, vip: false, active: true },
  { id: 'C004', email: '50xyoff@promo.example', phone: null, kind: 'P', birthDate: '2000-02-29', vip: false, active: true },
  // Inactive: the mapping's static condition hides it even though its email matches C001's.
  { id: 'C005', email: 'alice@example.com', phone: '+33612345678', kind: 'P', birthDate: null, vip: true, active: false },
] as const;

export const CONTACT_CREATED_AT = '2024-03-01T10:00:00.000Z';

export interface Layout {
  readonly kind: SqlKind;
  /** The contact table, schema-qualified: PostgreSQL schema `crm`, MySQL the test database. */
  readonly contactTable: string;
  readonly orderTable: string;
}

export function layoutFor(kind: SqlKind, databaseName: string): Layout {
  return {
    kind,
    contactTable: kind === 'postgres' ? 'crm.group' : `${databaseName}.group`,
    orderTable: 'cust orders',
  };
}

export function mappings(layout: Layout): ReadonlyArray<EntityMapping> {
  return [contactMapping(layout), orderMapping(layout.orderTable)];
}

export function contactMapping(layout: Layout): EntityMapping {
  return {
    entity: 'contact',
    table: layout.contactTable,
    key: 'id',
    fields: {
      id: { kind: 'column', column: 'cust_no', type: 'string' },
      email: { kind: 'column', column: 'EMAIL_ADDR', type: 'string' },
      phone: { kind: 'column', column: 'Phone Number', type: 'string' },
      kind: { kind: 'column', column: 'kind_code', type: 'string', values: { P: 'PERSON', C: 'COMPANY' } },
      birthDate: { kind: 'column', column: 'birth', type: 'date' },
      createdAt: { kind: 'column', column: 'created', type: 'datetime' },
      // Not a canonical contact field yet; here to exercise the boolean coercion.
      vip: { kind: 'column', column: 'vip', type: 'boolean' },
    },
    where: [{ column: 'active', op: 'eq', value: true }],
  };
}

export function orderMapping(table: string): EntityMapping {
  return {
    entity: 'order',
    table,
    key: 'id',
    fields: {
      id: { kind: 'column', column: 'order_no', type: 'string' },
      customerId: { kind: 'column', column: 'CUST_NO', type: 'string' },
      channel: { kind: 'column', column: 'chan', type: 'string', values: CHANNEL_VALUES },
      status: { kind: 'column', column: 'stat', type: 'string', values: STATUS_VALUES },
      placedAt: { kind: 'column', column: 'placed', type: 'datetime' },
      total: { kind: 'column', column: 'amount', type: 'float' },
      storeId: { kind: 'column', column: 'store', type: 'string' },
      currency: { kind: 'const', value: 'EUR', type: 'string' },
    },
    where: [{ column: 'deleted', op: 'eq', value: false }],
  };
}

const ORDER_COLUMNS = ['order_no', 'CUST_NO', 'chan', 'stat', 'placed', 'amount', 'store', 'deleted'] as const;
const CONTACT_COLUMNS = ['cust_no', 'EMAIL_ADDR', 'Phone Number', 'kind_code', 'birth', 'created', 'vip', 'active'] as const;

/** Creates and fills the tables, plus `slow orders`: the orders behind a view that sleeps. */
export async function seed(layout: Layout, databaseUrl: string): Promise<void> {
  const admin = await openSqlAdmin(layout.kind, databaseUrl);
  try {
    await admin.exec(layout.kind === 'postgres' ? POSTGRES_DDL : MYSQL_DDL);
    await admin.insert(
      layout.contactTable,
      CONTACT_COLUMNS,
      CONTACTS.map((contact): Scalar[] => [
        contact.id,
        contact.email,
        contact.phone,
        contact.kind,
        contact.birthDate,
        datetimeLiteral(layout.kind, CONTACT_CREATED_AT),
        contact.vip,
        contact.active,
      ]),
    );
    await admin.insert(
      layout.orderTable,
      ORDER_COLUMNS,
      ORDERS.map((order): Scalar[] => [
        order.id,
        order.customerId,
        order.sourceChannel,
        order.sourceStatus,
        datetimeLiteral(layout.kind, order.placedAt),
        order.total.toFixed(2),
        order.storeId,
        order.deleted,
      ]),
    );
  } finally {
    await admin.close();
  }
}

/** PostgreSQL reads the zone (and ignores it for a zone-less column); MySQL DATETIME takes none. */
function datetimeLiteral(kind: SqlKind, iso: string): string {
  return kind === 'postgres' ? iso : iso.replace('T', ' ').replace('Z', '');
}

const POSTGRES_DDL = `
CREATE SCHEMA crm;
CREATE TABLE crm."group" (
  cust_no VARCHAR(20) PRIMARY KEY, "EMAIL_ADDR" VARCHAR(200), "Phone Number" VARCHAR(40),
  kind_code CHAR(1), birth DATE, created TIMESTAMP, vip BOOLEAN NOT NULL, active BOOLEAN NOT NULL);
CREATE TABLE "cust orders" (
  order_no INTEGER PRIMARY KEY, "CUST_NO" VARCHAR(20) NOT NULL, chan VARCHAR(10), stat INTEGER,
  placed TIMESTAMPTZ, amount NUMERIC(10, 2), store VARCHAR(10), deleted BOOLEAN NOT NULL);
CREATE VIEW "slow orders" AS SELECT * FROM "cust orders" WHERE (SELECT TRUE FROM pg_sleep(2));
`;

const MYSQL_DDL = `
CREATE TABLE \`group\` (
  cust_no VARCHAR(20) PRIMARY KEY, EMAIL_ADDR VARCHAR(200), \`Phone Number\` VARCHAR(40),
  kind_code CHAR(1), birth DATE, created DATETIME(3), vip TINYINT(1) NOT NULL, active TINYINT(1) NOT NULL);
CREATE TABLE \`cust orders\` (
  order_no INT PRIMARY KEY, CUST_NO VARCHAR(20) NOT NULL, chan VARCHAR(10), stat INT,
  placed DATETIME(3), amount DECIMAL(10, 2), store VARCHAR(10), deleted TINYINT(1) NOT NULL);
-- LIMIT keeps the derived table from being merged, so SLEEP runs once, not per row.
CREATE VIEW \`slow orders\` AS SELECT o.* FROM \`cust orders\` o JOIN (SELECT SLEEP(2) AS nap LIMIT 1) AS s ON s.nap = 0;
`;
