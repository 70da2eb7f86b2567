/**
 * Field policies declared in the SDL (@pii, @requires, @consent; schema/directives.graphql),
 * applied to the executable schema by wrapping each governed field's resolver. Deny by
 * default: a field without the scope resolves to null with FORBIDDEN at its path, and the
 * rest of the answer is intact (governed fields are nullable; the matrix test checks it).
 */
import { getDirective, MapperKind, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, GraphQLError, isNonNullType, type GraphQLFieldConfig, type GraphQLSchema } from 'graphql';
import { ErrorCode } from '../errors/codes.js';
import type { RequestContext } from '../gateway/context.js';
import { CustomerHandle } from '../identity/customer-handle.js';
import { hasConsent } from './gdpr/consent.js';

export interface FieldPolicy {
  /** Schema coordinate, e.g. Customer.email. */
  readonly coordinate: string;
  readonly pii: string | undefined;
  /** Every scope the caller needs: pii:<kind> and those of @requires. */
  readonly scopes: ReadonlyArray<string>;
  /** The consent purpose the customer must have granted (@consent). */
  readonly consentPurpose: string | undefined;
  readonly nullable: boolean;
}

export function policyOf(schema: GraphQLSchema, typeName: string, fieldName: string, field: GraphQLFieldConfig<unknown, unknown>): FieldPolicy | undefined {
  const pii = getDirective(schema, field, 'pii')?.[0]?.kind as string | undefined;
  const required = (getDirective(schema, field, 'requires')?.[0]?.scopes as string[] | undefined) ?? [];
  const consentPurpose = getDirective(schema, field, 'consent')?.[0]?.purpose as string | undefined;
  if (pii === undefined && required.length === 0 && consentPurpose === undefined) return undefined;
  const scopes = [...(pii === undefined ? [] : [`pii:${pii.toLowerCase()}`]), ...required];
  return { coordinate: `${typeName}.${fieldName}`, pii, scopes, consentPurpose, nullable: !isNonNullType(field.type) };
}

/** Every governed field of the schema, by coordinate. */
export function readFieldPolicies(schema: GraphQLSchema): Map<string, FieldPolicy> {
  const policies = new Map<string, FieldPolicy>();
  mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      const policy = policyOf(schema, typeName, fieldName, field);
      if (policy !== undefined) policies.set(policy.coordinate, policy);
      return field;
    },
  });
  return policies;
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN } });
}

export function applyFieldPolicies(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      const policy = policyOf(schema, typeName, fieldName, field);
      const resolve = field.resolve ?? defaultFieldResolver;
      if (policy === undefined) {
        // Customer fields note which customers a request reads, for the audit record.
        if (typeName !== 'Customer') return field;
        return {
          ...field,
          resolve: (source, args, context: RequestContext, info) => {
            if (source instanceof CustomerHandle) context.privacy?.access.customers.add(source);
            return resolve(source, args, context, info);
          },
        };
      }
      return { ...field, resolve: guarded(policy, resolve) };
    },
  });
}

type Resolve = NonNullable<GraphQLFieldConfig<unknown, RequestContext>['resolve']>;

function guarded(policy: FieldPolicy, resolve: Resolve): Resolve {
  // Synchronous unless a consent has to be read: a field of planned data is allowed or
  // refused without a promise of its own. Refusals and resolver errors stay rejections, as
  // from the async resolver this was, so errors arrive in the same order.
  return (source, args, context: RequestContext, info) => {
    const privacy = context.privacy;
    // No privacy context: an internal call of c360 itself (partner, GDPR export), never HTTP.
    if (privacy !== undefined) {
      if (source instanceof CustomerHandle) privacy.access.customers.add(source);
      const allowed = policy.scopes.every((scope) => privacy.principal.scopes.has(scope));
      if (policy.pii !== undefined) privacy.access.noteField(policy.coordinate, allowed ? 'allowed' : 'denied');
      if (!allowed) return Promise.reject(forbidden(`Not allowed to read ${policy.coordinate}.`));
    }
    // Consent is enforced with the privacy section, like everything else: open mode answers as
    // before it existed, and internal calls (the subject access export) read regardless.
    const enforced = privacy !== undefined && privacy.services.config !== undefined;
    if (enforced && policy.consentPurpose !== undefined && source instanceof CustomerHandle) {
      const purpose = policy.consentPurpose;
      return (async () => {
        if (!(await hasConsent(source, context.loaders, purpose))) throw forbidden(`No ${purpose} consent on record for this customer.`);
        return resolve(source, args, context, info);
      })();
    }
    try {
      return resolve(source, args, context, info);
    } catch (error) {
      return Promise.reject(error);
    }
  };
}
