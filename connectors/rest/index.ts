/** The REST connector: an HTTP API described in c360.yaml, behind the connector contract. */
export { createRestConnector, getRestStats } from './connector.js';
export { compileRestSource, parseRestSource, RestConfigError, restEndpointSchema, restEntitySchema, restFieldSchema, restSourceSchema } from './config.js';
export type { RestConfigProblem, RestEndpoint, RestEntityMapping, RestFieldMapping, RestSourceConfig } from './config.js';
export type { RestSourceStats } from './runtime.js';
export type { BreakerState } from './resilience.js';
