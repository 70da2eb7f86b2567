/**
 * From the GraphQL selection to the canonical fields a source must return: only what the
 * query asked for, plus the keys that children need to load their own rows.
 */
import { Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/** GraphQL field -> canonical fields it reads; fields absent from the map read nothing. */
export type FieldNeeds = Readonly<Record<string, ReadonlyArray<string>>>;

// graphql-js hands every item of a list the same fieldNodes array, so the selection of
// "orders { lines { … } }" is analysed once per query, not once per order and line.
const namesByNodes = new WeakMap<ReadonlyArray<FieldNode>, ReadonlySet<string>>();

/** The field names selected under the current field, through fragments and aliases. */
export function selectedFieldNames(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): ReadonlySet<string> {
  const cached = namesByNodes.get(info.fieldNodes);
  if (cached !== undefined) return cached;
  const names = collectNames(info);
  namesByNodes.set(info.fieldNodes, names);
  return names;
}

function collectNames(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): Set<string> {
  const names = new Set<string>();
  for (const node of info.fieldNodes) {
    if (node.selectionSet !== undefined) collect(node.selectionSet, info.fragments, names, new Set());
  }
  return names;
}

/** The field names selected under `path` below the current field (e.g. ["edges", "node"]). */
export function selectedFieldNamesAt(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, path: ReadonlyArray<string>): ReadonlySet<string> {
  let nodes: ReadonlyArray<FieldNode> = info.fieldNodes;
  for (const step of path) {
    const next: FieldNode[] = [];
    for (const node of nodes) {
      if (node.selectionSet !== undefined) fieldNodesNamed(node.selectionSet, info.fragments, step, next, new Set());
    }
    nodes = next;
  }
  return collectNames({ fieldNodes: nodes, fragments: info.fragments });
}

/** The field nodes at `path` below the current field, through fragments (aliases included). */
export function fieldNodesAt(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, path: ReadonlyArray<string>): ReadonlyArray<FieldNode> {
  let nodes: ReadonlyArray<FieldNode> = info.fieldNodes;
  for (const step of path) {
    const next: FieldNode[] = [];
    for (const node of nodes) {
      if (node.selectionSet !== undefined) fieldNodesNamed(node.selectionSet, info.fragments, step, next, new Set());
    }
    nodes = next;
  }
  return nodes;
}

/** Canonical fields needed for the selected GraphQL fields, plus `always` (keys). */
export function projectionFor(selected: Iterable<string>, needs: FieldNeeds, always: ReadonlyArray<string>): string[] {
  const fields = new Set(always);
  for (const name of selected) for (const field of needs[name] ?? []) fields.add(field);
  return [...fields].sort();
}

function collect(set: SelectionSetNode, fragments: Readonly<Record<string, FragmentDefinitionNode>>, into: Set<string>, visited: Set<string>): void {
  for (const selection of set.selections) {
    switch (selection.kind) {
      case Kind.FIELD:
        into.add(selection.name.value);
        break;
      case Kind.INLINE_FRAGMENT:
        collect(selection.selectionSet, fragments, into, visited);
        break;
      case Kind.FRAGMENT_SPREAD: {
        const name = selection.name.value;
        const fragment = fragments[name];
        if (fragment !== undefined && !visited.has(name)) {
          visited.add(name);
          collect(fragment.selectionSet, fragments, into, visited);
        }
        break;
      }
    }
  }
}

function fieldNodesNamed(
  set: SelectionSetNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  name: string,
  into: FieldNode[],
  visited: Set<string>,
): void {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === name) into.push(selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      fieldNodesNamed(selection.selectionSet, fragments, name, into, visited);
    } else {
      const fragment = fragments[selection.name.value];
      if (fragment !== undefined && !visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        fieldNodesNamed(fragment.selectionSet, fragments, name, into, visited);
      }
    }
  }
}
