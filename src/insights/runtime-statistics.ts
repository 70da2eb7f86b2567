/** The runtime's statistics: one cache on its SharedStore, refreshed through its own connectors. */
import { defaultInsightsConfig } from '../config/insights-config.js';
import type { Runtime } from '../gateway/runtime.js';
import type { InsightsStatistics } from './service.js';
import { statisticsCacheFor } from './statistics.js';

export function insightsStatisticsOf(runtime: Runtime): InsightsStatistics {
  const settings = (runtime.config.insights ?? defaultInsightsConfig()).statistics;
  const cache = statisticsCacheFor(runtime.sharedStore, settings, (error) => runtime.logger.warn({ err: error }, 'statistics refresh failed'));
  return { cache, connectors: runtime.connectors };
}
