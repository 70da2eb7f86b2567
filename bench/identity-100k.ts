/**
 * One customer resolution at 100k records per side, through GraphQL, with probabilistic
 * matching on: a CRM of N contacts in PostgreSQL and a shop of N accounts in MariaDB (about
 * half of them the same people, with typos, other email spellings and phone formats).
 * Prints p50/p99 of one `customer(id) { identities household duplicateCandidates }` request
 * and its statement count, beside a raw-driver floor: the same lookups (identifiers and
 * blocking keys, the same columns and caps) sent by hand with pg and mysql2, in parallel.
 *
 * Blocking: the birth date, and three compound rules ([lastName, birthYear], [lastName,
 * postcode], [firstName, lastName]) where one field's blocks are hundreds to thousands of
 * rows in this world. Indexes are what `c360 check` advises: PostgreSQL expression indexes
 * on the normalized forms c360 compares (LOWER(TRIM(last_name)) with the rule's other part,
 * the mailbox key, the phone digits); MariaDB cannot index an expression, so it gets
 * indexed virtual columns holding the same values (with the rule's other part), declared in
 * the mapping as `normalizedColumns` so the lookups name them.
 *
 * Seeding is the expensive part: the databases keep a fixed name and a marker table
 * (`c360_bench_marker`, version + size), and a run reuses them when the marker matches.
 *
 *   npm run build --silent && nice -n 5 node dist/bench/identity-100k.js [--size 100000] [--resolutions 1000] [--statements]
 *
 * --statements: trace milliseconds per kind of c360 statement (p50, p99).
 */
import mysql from 'mysql2/promise';
import pg from 'pg';
import { createDatabase, openSqlAdmin } from '../connectors/admin.js';
import { KEY_PART_SEPARATOR, type Scalar, type SourceCall } from '../connectors/contract.js';
import type { BlockingRule } from '../src/config/identity-config.js';
import { parseConfig } from '../src/config/parse.js';
import { CITIES, FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES, STREET_NAMES } from '../src/demo/data/french-people.js';
import { createRandom, type Random } from '../src/demo/random.js';
import { createLogger } from '../src/gateway/logger.js';
import { createRuntime } from '../src/gateway/runtime.js';
import { startGateway } from '../src/gateway/server.js';
import { encodeCustomerId } from '../src/identity/customer-id.js';
import { canonicalEmail, mailboxLookupKeys } from '../src/identity/email-canonical.js';
import { normalizePhone, phoneDigitCandidates } from '../src/identity/phone.js';
import { blockingRuleKey } from '../src/identity/probabilistic.js';
import { percentile } from './febrl-data.js';

const POSTGRES = process.env.C360_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MYSQL = process.env.C360_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/mysql';
const MARKER_VERSION = 3;

function argValue(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
}
const SIZE = Number(argValue('--size') ?? 100_000);
const RESOLUTIONS = Number(argValue('--resolutions') ?? 1000);
const CRM_DB = `c360_bench_identity_crm_${SIZE}`;
const SHOP_DB = `c360_bench_identity_shop_${SIZE}`;
const COLUMNS = ['id', 'first_name', 'last_name', 'email', 'phone', 'street', 'postcode', 'city', 'birth_date'];

interface Person {
  readonly first: string;
  readonly last: string;
  readonly email: string;
  readonly mobile: string;
  readonly street: string;
  readonly postcode: string;
  readonly city: string;
  readonly birthDate: string;
}

function ascii(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '');
}

function typo(random: Random, word: string): string {
  if (word.length < 4) return word;
  const at = random.int(1, word.length - 2);
  return `${word.slice(0, at)}${word[at + 1]}${word[at]}${word.slice(at + 2)}`;
}

function person(random: Random, i: number): Person {
  const female = random.chance(0.5);
  const first = random.pick(female ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES);
  const last = random.pick(LAST_NAMES);
  const city = random.pick(CITIES);
  const mobile = `0${random.pick(['6', '7'])}${String(10_000_000 + i * 37 + random.int(0, 36)).slice(-8)}`;
  const year = random.int(1940, 2004);
  return {
    first,
    last,
    email: `${ascii(first)}.${ascii(last)}${i}@${random.pick(['gmail.com', 'orange.fr', 'free.fr', 'hotmail.fr', 'laposte.net', 'sfr.fr'])}`,
    mobile,
    street: `${random.int(1, 180)} ${random.pick(['rue', 'avenue', 'boulevard'])} ${random.pick(STREET_NAMES)}`,
    postcode: random.pick(city.postcodes),
    city: city.name,
    birthDate: `${year}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`,
  };
}

/** CRM rows and shop rows: half the shop is the CRM's people, spelled differently. */
function generate(size: number): { crm: Scalar[][]; shop: Scalar[][] } {
  const random = createRandom(100, 'identity-100k');
  const people = Array.from({ length: size }, (_, i) => person(random, i));
  const crm = people.map((p, i) => [i + 1, p.first, p.last, p.email, p.mobile.replace(/(\d{2})(?=\d)/g, '$1 '), p.street, p.postcode, p.city, p.birthDate]);
  const shop = people.map((p, i): Scalar[] => {
    if (i % 2 === 1) {
      const other = person(random, size + i);
      return [i + 1, other.first, other.last, other.email, `+33${other.mobile.slice(1)}`, other.street, other.postcode, other.city, other.birthDate];
    }
    const variant = random.int(0, 3);
    const email = variant === 0 ? p.email.toUpperCase() : variant === 1 ? p.email.replace('.', '') : variant === 2 ? null : p.email.replace('@', '+shop@');
    const phone = variant === 2 ? `+33 (0)${p.mobile.slice(1, 2)} ${p.mobile.slice(2)}` : random.chance(0.5) ? p.mobile : null;
    const first = random.chance(0.2) ? typo(random, p.first) : p.first;
    return [i + 1, first, p.last, email, phone, p.street, p.postcode, p.city, random.chance(0.1) ? null : p.birthDate];
  });
  return { crm, shop };
}

const PG_TABLE = `CREATE TABLE contacts (id INTEGER PRIMARY KEY, first_name VARCHAR(80), last_name VARCHAR(80), email VARCHAR(160), phone VARCHAR(40), street VARCHAR(160), postcode VARCHAR(10), city VARCHAR(80), birth_date DATE)`;
const PG_INDEXES = [
  // Blocking rules (identity.probabilistic.blocking below), each with the order of the rows kept per key (id):
  // the birth date; the surname with the birth date (a year is a range on it); the surname with the postcode; the two names.
  'CREATE INDEX contacts_birth ON contacts (birth_date, id)',
  'CREATE INDEX contacts_last_birth ON contacts (LOWER(TRIM(CAST(last_name AS TEXT))), birth_date, id)',
  'CREATE INDEX contacts_last_postcode ON contacts (LOWER(TRIM(CAST(last_name AS TEXT))), postcode, id)',
  'CREATE INDEX contacts_first_last ON contacts (LOWER(TRIM(CAST(first_name AS TEXT))), LOWER(TRIM(CAST(last_name AS TEXT))), id)',
  "CREATE INDEX contacts_mailbox ON contacts ((REPLACE(SPLIT_PART(SPLIT_PART(LOWER(TRIM(CAST(email AS TEXT))), '@', 1), '+', 1), '.', '') || '@' || SPLIT_PART(LOWER(TRIM(CAST(email AS TEXT))), '@', 2)))",
  "CREATE INDEX contacts_phone ON contacts (REGEXP_REPLACE(CAST(phone AS TEXT), '[^0-9]', '', 'g'))",
];
// MariaDB indexes no expression: virtual columns hold the normalized values, indexed (with the blocking rules' other parts), named in the mapping.
const MARIADB_TABLE = `CREATE TABLE customers (id INTEGER PRIMARY KEY, first_name VARCHAR(80), last_name VARCHAR(80), email VARCHAR(160), phone VARCHAR(40), street VARCHAR(160), postcode VARCHAR(10), city VARCHAR(80), birth_date DATE,
  last_name_key VARCHAR(80) AS (LOWER(TRIM(last_name))) VIRTUAL,
  first_name_key VARCHAR(80) AS (LOWER(TRIM(first_name))) VIRTUAL,
  mailbox_key VARCHAR(160) AS (CONCAT(REPLACE(SUBSTRING_INDEX(SUBSTRING_INDEX(LOWER(TRIM(email)), '@', 1), '+', 1), '.', ''), '@', SUBSTRING_INDEX(LOWER(TRIM(email)), '@', -1))) VIRTUAL,
  phone_digits VARCHAR(40) AS (REGEXP_REPLACE(phone, '[^0-9]', '')) VIRTUAL,
  INDEX (birth_date), INDEX last_birth (last_name_key, birth_date), INDEX last_postcode (last_name_key, postcode), INDEX first_last (first_name_key, last_name_key),
  INDEX (mailbox_key), INDEX (phone_digits))`;

async function seededUrl(
  kind: 'postgres' | 'mysql',
  server: string,
  name: string,
  table: string,
  indexes: ReadonlyArray<string>,
  rows: () => Scalar[][],
): Promise<string> {
  const url = server.replace(/\/[^/]*$/, `/${name}`);
  try {
    const admin = await openSqlAdmin(kind, url);
    try {
      const marker = await admin.query('SELECT version, size FROM c360_bench_marker');
      if (Number(marker[0]?.version) === MARKER_VERSION && Number(marker[0]?.size) === SIZE) return url;
    } finally {
      await admin.close();
    }
  } catch {
    // No database or no marker yet: seed below.
  }
  await createDatabase(kind, server, name).catch(() => undefined);
  const admin = await openSqlAdmin(kind, url);
  try {
    const tableName = kind === 'postgres' ? 'contacts' : 'customers';
    await admin.exec(`DROP TABLE IF EXISTS ${tableName}`);
    await admin.exec('DROP TABLE IF EXISTS c360_bench_marker');
    await admin.exec(table);
    await admin.insert(tableName, COLUMNS, rows());
    for (const index of indexes) await admin.exec(index);
    await admin.exec(kind === 'postgres' ? 'ANALYZE contacts' : 'ANALYZE TABLE customers');
    await admin.exec('CREATE TABLE c360_bench_marker (version INTEGER, size INTEGER)');
    await admin.insert('c360_bench_marker', ['version', 'size'], [[MARKER_VERSION, SIZE]]);
  } finally {
    await admin.close();
  }
  return url;
}

/** Blocking rules: the birth date alone (about 5 rows a date here), and compound rules where one field's blocks are a thousand rows. */
const BLOCKING: BlockingRule[] = ['birthDate', ['lastName', 'birthYear'], ['lastName', 'postcode'], ['firstName', 'lastName']];

const QUERY = `query ($id: ID!) { customer(id: $id) { id identities { entity key matchedBy } household { key } duplicateCandidates { key } } }`;
const PER_BLOCK = 50;
/** What c360 reads per blocking value before ranking (identity.probabilistic.blockReadLimit): the floor reads as much. */
const READ_PER_BLOCK = 200;

interface Timed {
  readonly millis: number;
  readonly statements: number;
  /** CPU time of this process during the resolution (user + system; c360: gateway and the HTTP client): what is not waiting on the sources. */
  readonly cpuMillis?: number;
  /** Rows the statements returned (from the trace; the floor: rows read). */
  readonly rows?: number;
  /** The trace's anchor statement and slowest later statement (ms, rounded by the trace): what waiting on the sources costs at least. */
  readonly anchorMillis?: number;
  readonly slowestAfterAnchorMillis?: number;
  readonly shopKeys: ReadonlyArray<string>;
}

/** The lookups one resolution of a CRM contact makes, by hand: anchor, then identifiers and blocks on both sides in parallel. */
async function floorResolution(crm: pg.Pool, shop: mysql.Pool, id: number): Promise<Timed> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const anchor = (
    await crm.query('SELECT id, first_name, last_name, email, phone, street, postcode, city, birth_date::text AS birth_date FROM contacts WHERE id = $1', [id])
  ).rows[0] as Record<string, string | null>;
  const email = canonicalEmail(anchor.email);
  const phone = normalizePhone(anchor.phone, 'FR');
  const row: Record<string, string | null> = {
    firstName: anchor.first_name ?? null,
    lastName: anchor.last_name ?? null,
    birthDate: anchor.birth_date ?? null,
    postcode: anchor.postcode ?? null,
  };
  const cols = 'id, first_name, last_name, email, phone, street, postcode, city, birth_date';
  const lookups: Array<Promise<unknown>> = [];
  let shopRows: Array<{ id: number }> = [];
  let rowsRead = 1;
  const collect = (promise: Promise<[unknown, unknown]>) =>
    lookups.push(
      promise.then(([rows]) => {
        shopRows = shopRows.concat(rows as Array<{ id: number }>);
        rowsRead += (rows as unknown[]).length;
      }),
    );
  const counted = (promise: Promise<pg.QueryResult>) => lookups.push(promise.then((result) => void (rowsRead += result.rows.length)));
  if (email !== null) {
    collect(shop.query(`SELECT ${cols} FROM customers WHERE mailbox_key IN (?)`, [mailboxLookupKeys(email)]));
    counted(
      crm.query(
        `SELECT ${cols} FROM contacts WHERE (REPLACE(SPLIT_PART(SPLIT_PART(LOWER(TRIM(CAST(email AS TEXT))), '@', 1), '+', 1), '.', '') || '@' || SPLIT_PART(LOWER(TRIM(CAST(email AS TEXT))), '@', 2)) = ANY($1)`,
        [mailboxLookupKeys(email)],
      ),
    );
  }
  if (phone !== null) {
    collect(shop.query(`SELECT ${cols} FROM customers WHERE phone_digits IN (?)`, [phoneDigitCandidates(phone, 'FR')]));
    counted(
      crm.query(`SELECT ${cols} FROM contacts WHERE REGEXP_REPLACE(CAST(phone AS TEXT), '[^0-9]', '', 'g') = ANY($1)`, [phoneDigitCandidates(phone, 'FR')]),
    );
  }
  // The blocking rules' loads (BLOCKING below), each part compared as c360 compares it.
  const shopLast = 'last_name_key';
  const crmLast = 'LOWER(TRIM(CAST(last_name AS TEXT)))';
  const crmFirst = 'LOWER(TRIM(CAST(first_name AS TEXT)))';
  const year = (key: string) => [`${key}-01-01`, `${Number(key) + 1}-01-01`];
  const blocks: Array<{ rule: BlockingRule; shop: string; crm: string; values: (key: string[]) => Scalar[] }> = [
    { rule: 'birthDate', shop: 'birth_date = ?', crm: 'birth_date = $1', values: ([date]) => [date!] },
    {
      rule: ['lastName', 'birthYear'],
      shop: `${shopLast} = ? AND birth_date >= ? AND birth_date < ?`,
      crm: `${crmLast} = $1 AND birth_date >= $2 AND birth_date < $3`,
      values: ([last, born]) => [last!, ...year(born!)],
    },
    { rule: ['lastName', 'postcode'], shop: `${shopLast} = ? AND postcode = ?`, crm: `${crmLast} = $1 AND postcode = $2`, values: (parts) => parts },
    { rule: ['firstName', 'lastName'], shop: `first_name_key = ? AND ${shopLast} = ?`, crm: `${crmFirst} = $1 AND ${crmLast} = $2`, values: (parts) => parts },
  ];
  for (const block of blocks) {
    const key = blockingRuleKey(block.rule, row);
    if (key === null) continue;
    const values = block.values(String(key).split(KEY_PART_SEPARATOR));
    const n = values.length;
    const shopBlock = shop.query(`SELECT ${cols} FROM customers WHERE ${block.shop} ORDER BY id LIMIT ?`, [...values, READ_PER_BLOCK]);
    const crmBlock = crm.query(`SELECT ${cols} FROM contacts WHERE ${block.crm} ORDER BY id LIMIT $${n + 1}`, [...values, READ_PER_BLOCK]);
    // A block cut at the read limit is read by key, not by similarity: counted, so a run says whether any was.
    void shopBlock.then(([rows]) => void ((rows as unknown[]).length >= READ_PER_BLOCK && (blocksAtReadLimit += 1)));
    void crmBlock.then((result) => void (result.rows.length >= READ_PER_BLOCK && (blocksAtReadLimit += 1)));
    collect(shopBlock);
    counted(crmBlock);
  }
  await Promise.all(lookups);
  const used = process.cpuUsage(cpu);
  return {
    millis: performance.now() - started,
    cpuMillis: (used.user + used.system) / 1000,
    statements: 1 + lookups.length,
    rows: rowsRead,
    shopKeys: [...new Set(shopRows.map((r) => String(r.id)))],
  };
}

async function main(): Promise<void> {
  let data: { crm: Scalar[][]; shop: Scalar[][] } | undefined;
  const rows = (side: 'crm' | 'shop') => () => (data ??= generate(SIZE))[side];
  const seedStarted = performance.now();
  const crmUrl = await seededUrl('postgres', POSTGRES, CRM_DB, PG_TABLE, PG_INDEXES, rows('crm'));
  const shopUrl = await seededUrl('mysql', MYSQL, SHOP_DB, MARIADB_TABLE, [], rows('shop'));
  console.log(JSON.stringify({ size: SIZE, seededOrReusedMillis: Math.round(performance.now() - seedStarted) }));

  const fields = {
    id: 'id',
    firstName: 'first_name',
    lastName: 'last_name',
    email: 'email',
    phone: 'phone',
    street: 'street',
    postcode: 'postcode',
    city: 'city',
    birthDate: 'birth_date',
  };
  const unlimited = { rateLimit: { operationsPerMinute: 100_000_000, burst: 100_000_000 } };
  const config = parseConfig({
    server: { port: 0 },
    sources: { crm: { kind: 'postgres', url: crmUrl }, shop: { kind: 'mysql', url: shopUrl } },
    entities: {
      contact: { source: 'crm', table: 'contacts', fields: { ...fields, kind: { const: 'PERSON' } } },
      shopCustomer: {
        source: 'shop',
        table: 'customers',
        fields,
        normalizedColumns: {
          lastName: { caseInsensitive: 'last_name_key' },
          firstName: { caseInsensitive: 'first_name_key' },
          email: { email: 'mailbox_key' },
          phone: { digits: 'phone_digits' },
        },
      },
    },
    identity: {
      probabilistic: {
        enabled: true,
        sameSource: true,
        blocking: BLOCKING,
        candidatesPerBlock: PER_BLOCK,
        blockReadLimit: READ_PER_BLOCK,
      },
    },
    limits: { roles: { default: unlimited, admin: unlimited } },
  });
  const runtime = createRuntime(config, createLogger({ level: 'error' }));
  const gateway = await startGateway(runtime, { port: 0, host: '127.0.0.1' });
  const crm = new pg.Pool({ connectionString: crmUrl, max: 10 });
  const shop = mysql.createPool({ uri: shopUrl, connectionLimit: 10 });
  try {
    const random = createRandom(7, 'resolutions');
    const ids = Array.from({ length: RESOLUTIONS }, () => random.int(1, SIZE));
    const gatewayTimes: Timed[] = [];
    const floorTimes: Timed[] = [];
    let differing = 0;
    // Warm both paths (pools, plans) on a few ids first.
    for (const id of ids.slice(0, 20)) {
      await resolve(gateway.url, id);
      await floorResolution(crm, shop, id);
    }
    for (const id of ids) {
      // Alternate which side goes first so drift in machine load hits both alike.
      const [g, f] =
        id % 2 === 0
          ? [await resolve(gateway.url, id), await floorResolution(crm, shop, id)]
          : (([f2, g2]) => [g2, f2])([await floorResolution(crm, shop, id), await resolve(gateway.url, id)]);
      gatewayTimes.push(g as Timed);
      floorTimes.push(f as Timed);
      // Same answer: every shop record c360 linked was among the rows the floor read.
      if ((g as Timed).shopKeys.some((key) => !(f as Timed).shopKeys.includes(key))) differing += 1;
    }
    const stats = (times: Timed[]) => {
      const millis = times.map((t) => t.millis).sort((a, b) => a - b);
      const statements = times.map((t) => t.statements).sort((a, b) => a - b);
      const median = (values: number[]) =>
        percentile(
          [...values].sort((a, b) => a - b),
          50,
        );
      return {
        p50: Number(percentile(millis, 50).toFixed(2)),
        p99: Number(percentile(millis, 99).toFixed(2)),
        statements: { p50: percentile(statements, 50), max: statements.at(-1) },
        rowsP50: median(times.map((t) => t.rows ?? 0)),
        cpuMillisP50: Number(median(times.map((t) => t.cpuMillis ?? 0)).toFixed(2)),
        ...(times[0]?.anchorMillis === undefined
          ? {}
          : {
              anchorMillisP50: median(times.map((t) => t.anchorMillis ?? 0)),
              slowestAfterAnchorMillisP50: median(times.map((t) => t.slowestAfterAnchorMillis ?? 0)),
            }),
      };
    };
    const c360 = stats(gatewayTimes);
    const floor = stats(floorTimes);
    console.log(
      JSON.stringify({
        resolutions: RESOLUTIONS,
        c360,
        floor,
        ratio: { p50: Number((c360.p50 / floor.p50).toFixed(2)), p99: Number((c360.p99 / floor.p99).toFixed(2)) },
        linksOutsideFloorRows: differing,
        blocksAtReadLimit,
      }),
    );
    if (process.argv.includes('--statements')) {
      for (const [kind, millis] of STATEMENT_MILLIS) {
        const sorted = [...millis].sort((a, b) => a - b);
        console.log(JSON.stringify({ statement: kind, count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99) }));
      }
    }
  } finally {
    await crm.end();
    await shop.end();
    await gateway.stop();
    await runtime.close();
  }
}

/** Floor blocks (same lookups as c360's) that returned READ_PER_BLOCK rows: cut by key before any ranking. */
let blocksAtReadLimit = 0;

/** Trace milliseconds of c360's statements by kind (printed with --statements). */
const STATEMENT_MILLIS = new Map<string, number[]>();

async function resolve(url: string, id: number): Promise<Timed> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-c360-trace': '1' },
    body: JSON.stringify({ query: QUERY, variables: { id: encodeCustomerId({ entity: 'contact', key: String(id) }) } }),
  });
  const body = (await response.json()) as {
    data?: { customer: { identities: Array<{ entity: string; key: string }> } | null };
    errors?: unknown;
    extensions?: { trace?: SourceCall[] };
  };
  const millis = performance.now() - started;
  const used = process.cpuUsage(cpu);
  if (body.errors !== undefined || body.data?.customer == null) throw new Error(`resolving ${id}: ${JSON.stringify(body.errors ?? body.data)}`);
  const trace = body.extensions?.trace ?? [];
  for (const call of trace) {
    const kind = `${call.source} ${call.statement.includes('UNION ALL') ? 'blocking union' : call.statement.slice(0, 0)}${call.statement.includes('UNION ALL') ? '' : call.statement.replace(/^SELECT .*? FROM /s, '').slice(0, 70)}`;
    STATEMENT_MILLIS.set(kind, [...(STATEMENT_MILLIS.get(kind) ?? []), call.millis]);
  }
  return {
    millis,
    cpuMillis: (used.user + used.system) / 1000,
    statements: trace.length,
    rows: trace.reduce((sum, call) => sum + call.rows, 0),
    anchorMillis: trace[0]?.millis ?? 0,
    slowestAfterAnchorMillis: Math.max(0, ...trace.slice(1).map((call) => call.millis)),
    shopKeys: body.data.customer.identities.filter((i) => i.entity === 'shopCustomer').map((i) => i.key),
  };
}

await main();
