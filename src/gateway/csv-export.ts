/**
 * CSV export for spreadsheet and BI users: `GET|POST /export/csv` runs a GraphQL list
 * query page after page (the connection at `path`, its `after` variable fed with each
 * page's endCursor) and streams the nodes as CSV: UTF-8 with a BOM so Excel reads the
 * accents, CRLF line ends, RFC 4180 quoting, nested fields flattened to "contact.firstName".
 * Only one page is held at a time, each page waits for the client to drain the last, and the
 * heap the pages leave is collected past a budget (./heap-bound.ts).
 * The columns come from the query's selection (./csv-columns.ts); a connection not paged by
 * `$after` is refused with 400, as the export could only fetch its first page forever.
 */
import { once } from 'node:events';
import type { ApolloServer } from '@apollo/server';
import express, { type Request, type Response, type Router } from 'express';
import type { GraphQLSchema } from 'graphql';
import { exportPlanOf, type ExportPlan } from './csv-columns.js';
import type { RequestContext } from './context.js';
import { neutralizeCsvCell } from './csv-cell.js';
import { HeapBound } from './heap-bound.js';
import { bulkLinkingApplies, type BulkLinks } from '../identity/bulk-link.js';
import { GraphQLError } from 'graphql';

/** Customers per internal page of a bulk-linked export (the query's `first` is a client page size; the export concatenates). */
export const BULK_EXPORT_PAGE = 1_000;

export interface CsvExportRequest {
  readonly query: string;
  readonly variables: Record<string, unknown>;
  /** Dot path of the connection in `data`, e.g. "customers". */
  readonly path: string;
  /** `bulk`: link the whole customer list once before the pages; `perCustomer`: each page links its own. Default: bulk for the unfiltered customer list, else per customer. */
  readonly linking: 'bulk' | 'perCustomer' | undefined;
}

/** Heap growth an export may leave before it asks for a full collection (./heap-bound.ts), and past which it collects over its time share. */
export const EXPORT_HEAP_BUDGET_BYTES = 24_000_000;
export const EXPORT_HEAP_CEILING_BYTES = 32_000_000;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const MAX_PAGES = 100_000;

export function createCsvExportRouter(apollo: ApolloServer<RequestContext>, contextFor: (req: Request) => RequestContext, schema?: GraphQLSchema): Router {
  const router = express.Router();
  const handle = async (req: Request, res: Response): Promise<void> => {
    const request = parseExportRequest(req.method === 'GET' ? req.query : req.body);
    const plan = typeof request === 'string' || schema === undefined ? undefined : exportPlanOf(schema, request.query, request.path);
    const refusal = typeof request === 'string' ? request : typeof plan === 'string' ? plan : undefined;
    if (refusal !== undefined || typeof request === 'string') {
      res.status(400).json({ errors: [{ message: refusal, extensions: { code: 'BAD_USER_INPUT' } }] });
      return;
    }
    // The whole customer list (by default when unfiltered, or `linking: "bulk"`): identifiers
    // scanned once per source and linked in memory (compact: ~70 bytes a record), then each
    // page reads its customers' records by key. A filtered list links per page by default, as
    // it may be a small part of the base.
    // The links come from the process's link map when it is fresh (src/identity/link-map-cache.ts):
    // a second export within its TTL scans no identifier; the header says when they were scanned.
    // The heap the export leaves behind is bounded, not left to grow to V8's next collection
    // (./heap-bound.ts); from before the links, so a map built for this export leaves only itself.
    const heap = new HeapBound(EXPORT_HEAP_BUDGET_BYTES, undefined, EXPORT_HEAP_CEILING_BYTES);
    let linked: BulkLinks | undefined;
    let linksAsOf: number | undefined;
    if (exportLinking(request, plan) === 'bulk') {
      const linkContext = contextFor(req);
      if (bulkLinkingApplies(linkContext.loaders, linkContext.link)) {
        try {
          const cached = await linkContext.linkMap?.get(linkContext.loaders);
          linked = cached?.links;
          linksAsOf = cached?.builtAt;
        } catch (error) {
          const extensions = error instanceof GraphQLError ? error.extensions : { code: 'SOURCE_UNAVAILABLE' };
          res.status(400).json({ errors: [{ message: `export linking failed: ${error instanceof Error ? error.message : String(error)}`, extensions }] });
          return;
        }
      }
    }
    const contextOf = (page: number): RequestContext => {
      const context = pageContext(req, page, contextFor);
      return linked === undefined ? context : { ...context, linked, bulkPageSize: BULK_EXPORT_PAGE };
    };
    // From the selection when it can be read there, so a column first filled on page 3 is in the header.
    const selected = typeof plan === 'object' ? plan.columns : undefined;
    let columns: ReadonlyArray<string> | undefined;
    let after: unknown = request.variables.after ?? null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const response = await apollo.executeOperation({ query: request.query, variables: { ...request.variables, after } }, { contextValue: contextOf(page) });
      const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
      const connection = body?.data == null ? undefined : at(body.data as Json, request.path);
      if (
        body === undefined ||
        (body.errors?.length ?? 0) > 0 ||
        connection === undefined ||
        connection === null ||
        typeof connection !== 'object' ||
        Array.isArray(connection)
      ) {
        const errors = body?.errors ?? [{ message: `no connection at "${request.path}"`, extensions: { code: 'BAD_USER_INPUT' } }];
        // Once the header line is out the status is sent: end with the error on its own line.
        if (columns === undefined) {
          res.status(400).json({ errors });
          return;
        }
        // The 200 is out: say why on a last line, then cut the response short (no final
        // chunk), so no client can take a partial export for a complete one.
        await write(res, `\r\n# export stopped: ${errors.map((e) => e.message).join('; ')}\r\n`);
        res.destroy(new Error('CSV export stopped before its last page'));
        return;
      }
      heap.check();
      const nodes = nodesOf(connection);
      const rows = nodes.map((node) => flatten(node));
      if (columns === undefined) {
        columns = selected ?? [...new Set(rows.flatMap((row) => [...row.keys()]))];
        res.status(200).type('text/csv; charset=utf-8').setHeader('content-disposition', 'attachment; filename="export.csv"');
        if (linksAsOf !== undefined) res.setHeader('x-c360-links-as-of', new Date(linksAsOf).toISOString());
        await write(res, `\uFEFF${csvLine(columns)}`);
      }
      const known = columns;
      if (rows.length > 0) await write(res, rows.map((row) => csvLine(known.map((column) => row.get(column) ?? ''))).join(''));
      const pageInfo = connection.pageInfo;
      const hasNext = pageInfo !== null && typeof pageInfo === 'object' && !Array.isArray(pageInfo) && pageInfo.hasNextPage === true;
      if (!hasNext || res.destroyed) break;
      after = (pageInfo as { endCursor?: Json }).endCursor ?? null;
    }
    res.end();
  };
  router.get('/csv', (req, res, next) => {
    handle(req, res).catch(next);
  });
  router.post('/csv', express.json({ limit: '1mb' }), (req, res, next) => {
    handle(req, res).catch(next);
  });
  return router;
}

/**
 * A fresh context per page, so loader caches never grow with the export and each page has
 * its own deadline. After the first page the headers are out, so later pages are built
 * while the request shows no response (the request scope would set a header on it); the
 * page loop watches the client instead.
 */
function pageContext(req: Request, page: number, contextFor: (req: Request) => RequestContext): RequestContext {
  if (page === 0) return contextFor(req);
  const response = req.res;
  req.res = undefined;
  try {
    return contextFor(req);
  } finally {
    req.res = response;
  }
}

/** How an export links its customers: as asked, else in bulk for the unfiltered customer list. */
export function exportLinking(request: Pick<CsvExportRequest, 'path' | 'linking'>, plan: ExportPlan | string | undefined): 'bulk' | 'perCustomer' {
  if (request.path !== 'customers') return 'perCustomer';
  return request.linking ?? (typeof plan === 'object' && plan.filtered !== true ? 'bulk' : 'perCustomer');
}

function parseExportRequest(input: unknown): CsvExportRequest | string {
  if (input === null || typeof input !== 'object') return 'expected query, path and optional variables';
  const { query, path, variables, linking } = input as Record<string, unknown>;
  if (typeof query !== 'string' || query.length === 0) return '"query" is required';
  if (typeof path !== 'string' || !/^[A-Za-z_][\w.]*$/.test(path)) return '"path" is the dot path of a connection in the result, e.g. "customers"';
  let parsed: unknown = variables ?? {};
  if (typeof parsed === 'string') {
    try {
      parsed = JSON.parse(parsed);
    } catch {
      return '"variables" is not JSON';
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return '"variables" must be an object';
  if (linking !== undefined && linking !== 'bulk' && linking !== 'perCustomer') return '"linking" is "bulk" or "perCustomer"';
  return { query, path, variables: parsed as Record<string, unknown>, linking: linking as CsvExportRequest['linking'] };
}

function at(data: Json, path: string): Json | undefined {
  let current: Json | undefined = data;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** `nodes`, or each `edges[].node`. */
function nodesOf(connection: { [key: string]: Json }): Json[] {
  if (Array.isArray(connection.nodes)) return connection.nodes;
  if (Array.isArray(connection.edges)) {
    return connection.edges.map((edge) => (edge !== null && typeof edge === 'object' && !Array.isArray(edge) ? (edge.node ?? null) : null));
  }
  return [];
}

/** Objects become dotted columns; lists stay one cell, as JSON, so a row stays a row. */
export function flatten(value: Json, prefix = '', into = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix === '' ? key : `${prefix}.${key}`, into);
  } else if (prefix !== '') {
    into.set(prefix, value === null ? '' : Array.isArray(value) ? JSON.stringify(value) : String(value));
  }
  return into;
}

/** One RFC 4180 record of cells. */
export function csvLine(fields: ReadonlyArray<string>): string {
  return `${fields.map(csvCell).join(',')}\r\n`;
}

/**
 * One cell as written, and every cell goes through here: a field that a spreadsheet would run
 * as a formula is neutralized first (./csv-cell.ts); a field with a comma, quote, CR or LF is
 * quoted, its quotes doubled.
 */
export function csvCell(field: string): string {
  const safe = neutralizeCsvCell(field);
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

async function write(res: Response, text: string): Promise<void> {
  if (res.write(text, 'utf8')) return;
  // Whichever comes first; the other listener is removed, so a long export adds none per page.
  const done = new AbortController();
  try {
    await Promise.race([once(res, 'drain', { signal: done.signal }), once(res, 'close', { signal: done.signal })]);
  } finally {
    done.abort();
  }
}
