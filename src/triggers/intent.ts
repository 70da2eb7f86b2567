/**
 * The intent of the touched customers, with the insights code that computes
 * `Customer.intent` (InsightsService.intentRows: one batched shop statement; intentOf:
 * the decayed score, level, products and about-to-buy) and one difference: the last
 * purchase that about-to-buy needs is read as the newest counted order of each account
 * (one batched, indexed statement), where the resolver takes it from the RFM statement,
 * which ranks the whole customer base. Same value: the last order in the RFM window that
 * is not cancelled or returned.
 */
import type { Filter, Row } from '../../connectors/contract.js';
import type { InsightsConfig } from '../config/insights-config.js';
import { intentOf } from '../insights/intent.js';
import type { InsightsService } from '../insights/service.js';
import type { Loaders } from '../loading/loaders.js';
import type { IntentView } from './evaluate.js';

const DAY_MILLIS = 86_400_000;

export interface CustomerRecords {
  readonly shopIds: ReadonlyArray<string>;
  readonly contactIds: ReadonlyArray<string>;
}

async function lastPurchaseAt(loaders: Loaders, shopIds: ReadonlyArray<string>, asOf: string, settings: InsightsConfig): Promise<string | null> {
  if (!loaders.isMapped('order') || shopIds.length === 0) return null;
  const since = new Date(Date.parse(asOf) - settings.rfm.windowDays * DAY_MILLIS).toISOString();
  const counted: Filter[] = [{ op: 'range', field: 'placedAt', gt: since, lte: asOf }];
  if (loaders.mappedFields('order', ['status']).length === 1) {
    counted.push({
      op: 'or',
      filters: [
        { op: 'isNull', field: 'status' },
        { op: 'not', filter: { op: 'in', field: 'status', values: ['CANCELLED', 'RETURNED'] } },
      ],
    });
  }
  const rows = await loaders.loadMany('order', [...shopIds], {
    keyField: 'customerId',
    projection: ['id', 'placedAt'],
    filter: { op: 'and', filters: counted },
    orderBy: [
      { field: 'placedAt', direction: 'DESC' },
      { field: 'id', direction: 'DESC' },
    ],
    limitPerKey: 1,
  });
  const times = rows
    .flat()
    .flatMap((row) => (typeof row.placedAt === 'string' ? [row.placedAt] : []))
    .sort();
  return times.at(-1) ?? null;
}

async function storeVisits(loaders: Loaders, contactIds: ReadonlyArray<string>, asOf: string, settings: InsightsConfig): Promise<string[]> {
  if (!loaders.isMapped('interaction') || settings.intent.storeVisitWeight === 0 || contactIds.length === 0) return [];
  const since = new Date(Date.parse(asOf) - settings.intent.lookbackDays * DAY_MILLIS).toISOString();
  const filter: Filter = {
    op: 'and',
    filters: [
      { op: 'eq', field: 'type', value: 'STORE_VISIT' },
      { op: 'range', field: 'occurredAt', gt: since, lte: asOf },
    ],
  };
  const rows = await loaders.loadMany('interaction', [...contactIds], { keyField: 'contactId', projection: ['id', 'occurredAt'], filter });
  return rows.flat().flatMap((row) => (typeof row.occurredAt === 'string' ? [row.occurredAt] : []));
}

async function categoriesOf(loaders: Loaders, productIds: ReadonlyArray<string>): Promise<string[]> {
  if (!loaders.isMapped('product') || productIds.length === 0) return [];
  const rows = await loaders.loadMany('product', [...productIds], { keyField: 'id', projection: ['id', 'category'] });
  const categories = rows.flatMap((found: ReadonlyArray<Row>) => (typeof found[0]?.category === 'string' ? [found[0].category] : []));
  return [...new Set(categories)];
}

export async function intentViewOf(records: CustomerRecords, loaders: Loaders, insights: InsightsService, asOf: string): Promise<IntentView> {
  const [eventRows, visits, purchase] = await Promise.all([
    Promise.all(records.shopIds.map((id) => insights.intentRows(id, asOf))),
    storeVisits(loaders, records.contactIds, asOf, insights.settings),
    lastPurchaseAt(loaders, records.shopIds, asOf, insights.settings),
  ]);
  const signals = intentOf(eventRows.flat(), visits, purchase, asOf, insights.settings.intent);
  return {
    score: signals.score,
    level: signals.level,
    categories: await categoriesOf(loaders, signals.productIds),
    aboutToBuy: signals.aboutToBuy,
    lastSignalAt: signals.lastSignalAt,
  };
}
