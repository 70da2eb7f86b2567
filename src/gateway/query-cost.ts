/**
 * The cost of an operation as the sources will feel it: the number of objects it may
 * fetch. An object field costs 1 plus its children; a list costs its page size (`first`,
 * else its default, else the maximum page) times that, so
 * `customers(first: 100) { orders(first: 100) { id } }` costs 100 × (1 + 100) = 10,100.
 * Scalars cost nothing here: their number is bounded by the token limit.
 */
import {
  getNamedType,
  isListType,
  isNonNullType,
  Kind,
  valueFromAST,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  isObjectType,
  isInterfaceType,
  isUnionType,
  type GraphQLNamedType,
  type ArgumentNode,
} from 'graphql';

/** Lists without a `first` argument (lines of an order, sources of a customer) are assumed this long. */
export const UNPAGED_LIST_SIZE = 10;

export interface OperationMeasure {
  readonly cost: number;
  /** Deepest field nesting, fragments expanded (introspection fields not counted). */
  readonly depth: number;
  /** Fields the operation would resolve with every fragment spread expanded in place. */
  readonly fields: number;
}

interface Measure {
  cost: number;
  depth: number;
  fields: number;
}

/**
 * One walk of the document, linear in its size: each fragment is measured once per way it
 * can be reached (inside a counted connection page or not) and the result reused at every
 * spread. Expanding spreads instead took exponential time: fragments spreading the previous
 * one 4 times, 10 deep (665 bytes) took 8.7 s with the event loop blocked.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Readonly<Record<string, unknown>>,
  defaultPageSize: number,
): OperationMeasure {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName === undefined ? operations[0] : operations.find((o) => o.name?.value === operationName);
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const root = operation === undefined ? undefined : schema.getRootType(operation.operation);
  if (operation === undefined || root === undefined || root === null) return { cost: 0, depth: 0, fields: 0 };

  const EMPTY: Measure = { cost: 0, depth: 0, fields: 0 };
  // `${name}|${paged}` -> its measure; EMPTY while being measured, so a cycle (refused by validation anyway) cannot loop.
  const memo = new Map<string, Measure>();

  // `paged`: inside a connection whose `first` was already counted, so its edges and nodes lists are that page, not another.
  const measureSet = (type: GraphQLNamedType, selectionSet: SelectionSetNode, paged: boolean): Measure => {
    const total: Measure = { cost: 0, depth: 0, fields: 0 };
    const add = (inner: Measure) => {
      total.cost += inner.cost;
      total.fields += inner.fields;
      total.depth = Math.max(total.depth, inner.depth);
    };
    for (const selection of selectionSet.selections) {
      switch (selection.kind) {
        case Kind.FIELD: {
          const name = selection.name.value;
          if (name.startsWith('__')) {
            total.fields += 1;
            break;
          }
          const field = fieldOf(type, name);
          if (field === undefined) break;
          const first = pageArgument(field, selection.arguments ?? [], variables);
          const connection = first !== undefined && !isList(field.type);
          const children = selection.selectionSet === undefined ? EMPTY : measureSet(getNamedType(field.type), selection.selectionSet, connection);
          const pageOfConnection = paged && (name === 'edges' || name === 'nodes');
          // A page above the maximum is refused by its field (withPageLimits), so it never costs more than the maximum.
          const multiplier = pageOfConnection
            ? 1
            : (clamp(first, defaultPageSize) ?? (isList(field.type) ? (hasFirst(field) ? defaultPageSize : UNPAGED_LIST_SIZE) : 1));
          if (selection.selectionSet !== undefined) total.cost += multiplier * (1 + children.cost);
          total.fields += 1 + children.fields;
          total.depth = Math.max(total.depth, 1 + children.depth);
          break;
        }
        case Kind.INLINE_FRAGMENT: {
          const condition = selection.typeCondition === undefined ? type : (schema.getType(selection.typeCondition.name.value) ?? type);
          add(measureSet(condition, selection.selectionSet, paged));
          break;
        }
        case Kind.FRAGMENT_SPREAD: {
          const fragment = fragments.get(selection.name.value);
          if (fragment === undefined) break;
          const key = `${fragment.name.value}|${paged}`;
          let measured = memo.get(key);
          if (measured === undefined) {
            memo.set(key, EMPTY);
            measured = measureSet(schema.getType(fragment.typeCondition.name.value) ?? type, fragment.selectionSet, paged);
            memo.set(key, measured);
          }
          add(measured);
          break;
        }
      }
    }
    return total;
  };

  return measureSet(root, operation.selectionSet, false);
}

function fieldOf(type: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (isObjectType(type) || isInterfaceType(type)) return type.getFields()[name];
  if (isUnionType(type)) {
    for (const member of type.getTypes()) {
      const field = member.getFields()[name];
      if (field !== undefined) return field;
    }
  }
  return undefined;
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

function hasFirst(field: GraphQLField<unknown, unknown>): boolean {
  return field.args.some((arg) => arg.name === 'first');
}

/** The page size the field will be asked for: the argument's value, else its schema default. */
function pageArgument(
  field: GraphQLField<unknown, unknown>,
  args: ReadonlyArray<ArgumentNode>,
  variables: Readonly<Record<string, unknown>>,
): number | undefined {
  const definition = field.args.find((arg) => arg.name === 'first');
  if (definition === undefined) return undefined;
  const node = args.find((arg) => arg.name.value === 'first');
  const value = node === undefined ? definition.defaultValue : valueFromAST(node.value, definition.type, variables as Record<string, unknown>);
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function clamp(first: number | undefined, max: number): number | undefined {
  return first === undefined ? undefined : Math.max(0, Math.min(first, max));
}
