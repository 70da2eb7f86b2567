import { describe, expect, it } from '@jest/globals';
import { GraphQLError } from 'graphql';
import { SourceError } from '../../connectors/contract.js';
import { formatError } from '../../src/errors/format.js';

function recorder() {
  const entries: Array<{ details: Record<string, unknown>; message: string }> = [];
  return { entries, log: { error: (details: Record<string, unknown>, message: string) => entries.push({ details, message }) } };
}

describe('formatError', () => {
  it('masks an unknown error as "Unexpected error." and logs the real one with the request id', () => {
    const { entries, log } = recorder();
    const cause = new Error('relation "secret_table" does not exist');
    const wrapped = new GraphQLError(cause.message, { originalError: cause, path: ['customer'] });
    const formatted = formatError({ message: cause.message, path: ['customer'] }, wrapped, log, 'req-1', false);
    expect(formatted).toEqual({
      message: 'Unexpected error.',
      path: ['customer'],
      locations: undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-1' },
    });
    expect(entries).toEqual([{ details: { requestId: 'req-1', err: cause }, message: 'unexpected error' }]);
  });

  it('keeps a source failure code and names the source', () => {
    const { entries, log } = recorder();
    const error = new GraphQLError('x', { originalError: new SourceError('SOURCE_TIMEOUT', 'shop', 'source "shop" did not answer order in time') });
    expect(formatError({ message: 'x' }, error, log, undefined, false)).toMatchObject({
      message: 'source "shop" did not answer order in time',
      extensions: { code: 'SOURCE_TIMEOUT', source: 'shop' },
    });
    expect(entries).toEqual([]);
  });

  it('drops field suggestions from validation errors outside development', () => {
    const { log } = recorder();
    const formatted = formatError(
      { message: 'Cannot query field "emial" on type "Customer". Did you mean "email"?', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
      new GraphQLError('x'),
      log,
      undefined,
      false,
    );
    expect(formatted.message).toBe('Cannot query field "emial" on type "Customer".');
  });
});
