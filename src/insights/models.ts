/** What Intent resolvers receive: the computed signals and the product ids to resolve. */
import type { IntentSignals } from './intent.js';

export interface IntentModel extends IntentSignals {
  readonly asOf: string;
}
