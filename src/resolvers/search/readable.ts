/**
 * Search matches only on fields the caller may read. Otherwise a caller refused
 * `Customer.email` could still rebuild an address one character at a time by watching which
 * prefixes return a customer (tests/operations/search-privacy.test.ts shows the attack fail).
 */
import { isObjectType, type GraphQLFieldConfig, type GraphQLSchema } from 'graphql';
import type { RequestContext } from '../../gateway/context.js';
import { policyOf } from '../../privacy/policies.js';
import type { SearchMatch } from '../../generated/graphql.js';

/** The field of the schema that shows what each kind of match compares. */
const SHOWN_BY: Readonly<Record<SearchMatch, readonly [string, string]>> = {
  EMAIL: ['Customer', 'email'],
  PHONE: ['Customer', 'phone'],
  NAME: ['Customer', 'name'],
  NAME_SIMILAR: ['Customer', 'name'],
  COMPANY: ['Customer', 'displayName'],
  CITY: ['Customer', 'address'],
  SIRET: ['Account', 'siret'],
  SIREN: ['Account', 'siren'],
};

export type Readable = (match: SearchMatch) => boolean;

export function readableMatches(ctx: RequestContext, schema: GraphQLSchema): Readable {
  const privacy = ctx.privacy;
  // No privacy context: an internal call of c360 itself, which reads everything.
  if (privacy === undefined) return () => true;
  // Asked for every row found and field compared: each kind of match is decided once a search.
  const decided = new Map<SearchMatch, boolean>();
  const decide = (match: SearchMatch): boolean => {
    const [typeName, fieldName] = SHOWN_BY[match];
    const type = schema.getType(typeName);
    if (!isObjectType(type)) return false;
    const field = type.getFields()[fieldName];
    if (field === undefined) return false;
    const policy = policyOf(schema, typeName, fieldName, field as unknown as GraphQLFieldConfig<unknown, unknown>);
    return policy === undefined || policy.scopes.every((scope) => privacy.principal.scopes.has(scope));
  };
  return (match) => {
    let readable = decided.get(match);
    if (readable === undefined) decided.set(match, (readable = decide(match)));
    return readable;
  };
}
