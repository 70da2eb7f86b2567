/**
 * Errors of a field that still answers: a list that one source could not contribute to
 * (searchCustomers while the shop hangs) returns what the other sources found, and the
 * response says which source is missing, with its code and the field's path, in `errors`.
 * graphql-js gives a field either a value or an error; this keeps both.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { SourceError } from '../../connectors/contract.js';
import type { RequestContext } from './context.js';

// Keyed on the request's loaders: one per request, and shared by Apollo's clones of the context.
const notes = new WeakMap<object, GraphQLFormattedError[]>();

/** Records that `path` answered without `error.source`'s part. */
export function notePartialAnswer(ctx: RequestContext, path: ReadonlyArray<string | number>, error: SourceError, what: string): void {
  const list = notes.get(ctx.loaders) ?? [];
  notes.set(ctx.loaders, list);
  list.push({ message: `${error.message}; ${what}`, path: [...path], extensions: { code: error.code, source: error.source } });
}

/** Appends the noted errors to the response (before the metrics and log plugins read it). */
export const partialAnswersPlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }) {
        const noted = notes.get(contextValue.loaders);
        if (noted === undefined || noted.length === 0 || response.body.kind !== 'single') return;
        response.body.singleResult.errors = [...(response.body.singleResult.errors ?? []), ...noted];
      },
    };
  },
};
