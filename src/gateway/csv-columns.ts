/**
 * The columns of a CSV export, read from the query's selection (not from the first page,
 * where a null object or an absent field would hide a column later pages have), and the
 * check that the connection is paged by `$after`, without which the export would fetch
 * the first page again and again.
 */
import {
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  parse,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

export interface ExportPlan {
  /** Dotted column names in selection order; undefined when the query does not match the schema (execution then says why). */
  readonly columns: ReadonlyArray<string> | undefined;
  /** True when the connection takes a `filter` argument: the export is not of the whole list. */
  readonly filtered?: boolean;
}

/** The plan, or the reason the export is refused (answered with 400). */
export function exportPlanOf(schema: GraphQLSchema, query: string, path: string): ExportPlan | string {
  let document;
  try {
    document = parse(query);
  } catch (error) {
    return `the query does not parse: ${(error as Error).message}`;
  }
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (operation === undefined || operation.kind !== Kind.OPERATION_DEFINITION) return 'the query has no operation';
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const fieldsOf = (selectionSet: SelectionSetNode | undefined): FieldNode[] => collectFields(selectionSet, fragments);

  let type: GraphQLNamedType | undefined | null = schema.getQueryType();
  let selections = fieldsOf(operation.selectionSet);
  let connection: FieldNode | undefined;
  for (const key of path.split('.')) {
    connection = selections.find((field) => (field.alias?.value ?? field.name.value) === key);
    if (connection === undefined) return { columns: undefined };
    type = fieldType(type, connection.name.value);
    selections = fieldsOf(connection.selectionSet);
  }
  const after = connection?.arguments?.find((argument) => argument.name.value === 'after');
  const declared = operation.variableDefinitions?.some((definition) => definition.variable.name.value === 'after') ?? false;
  if (after === undefined || after.value.kind !== Kind.VARIABLE || after.value.name.value !== 'after' || !declared) {
    return `the connection at "${path}" must take "after: $after" (a declared variable), so the export can fetch the next page`;
  }
  const filtered = connection?.arguments?.some((argument) => argument.name.value === 'filter') ?? false;
  const nodes = selections.find((field) => field.name.value === 'nodes');
  const edges = selections.find((field) => field.name.value === 'edges');
  const node = edges === undefined ? undefined : fieldsOf(edges.selectionSet).find((field) => field.name.value === 'node');
  const nodeField = nodes ?? node;
  if (nodeField === undefined || type === undefined || type === null) return { columns: undefined, filtered };
  const nodeType = nodes !== undefined ? fieldType(type, 'nodes') : fieldType(fieldType(type, 'edges'), 'node');
  if (nodeType === undefined || nodeType === null) return { columns: undefined, filtered };
  const columns: string[] = [];
  return columnsOf(nodeType, fieldsOf(nodeField.selectionSet), '', columns, fieldsOf)
    ? { columns: [...new Set(columns)], filtered }
    : { columns: undefined, filtered };
}

/** Field selections of a set, fragments spread in, in document order. */
function collectFields(
  selectionSet: SelectionSetNode | undefined,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  seen = new Set<string>(),
): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) fields.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) fields.push(...collectFields(selection.selectionSet, fragments, seen));
    else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (fragment === undefined || seen.has(name)) continue;
      fields.push(...collectFields(fragment.selectionSet, fragments, new Set([...seen, name])));
    }
  }
  return fields;
}

function fieldType(parent: GraphQLNamedType | undefined | null, name: string): GraphQLNamedType | undefined {
  if (parent === undefined || parent === null || !(isObjectType(parent) || isInterfaceType(parent))) return undefined;
  const field = parent.getFields()[name];
  return field === undefined ? undefined : getNamedType(field.type);
}

/** As flatten() writes rows: objects become dotted columns, lists and leaves one column each. */
function columnsOf(
  type: GraphQLNamedType,
  fields: ReadonlyArray<FieldNode>,
  prefix: string,
  into: string[],
  fieldsOf: (set: SelectionSetNode | undefined) => FieldNode[],
): boolean {
  if (!(isObjectType(type) || isInterfaceType(type))) return false;
  for (const field of fields) {
    const column = prefix === '' ? (field.alias?.value ?? field.name.value) : `${prefix}.${field.alias?.value ?? field.name.value}`;
    if (field.name.value === '__typename') {
      into.push(column);
      continue;
    }
    const definition = type.getFields()[field.name.value];
    if (definition === undefined) return false;
    const named = getNamedType(definition.type);
    if (isListType(getNullableType(definition.type)) || field.selectionSet === undefined) into.push(column);
    else if (!columnsOf(named, fieldsOf(field.selectionSet), column, into, fieldsOf)) return false;
  }
  return true;
}
