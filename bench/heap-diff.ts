/**
 * Compares two V8 heap snapshots (`bench/soak.ts --heap-snapshots DIR` writes start and end)
 * by constructor: how many objects of each kind and their self size, in each snapshot, and
 * the difference, largest growth first. What DevTools' comparison view shows, as text, so a
 * soak's growth can be named in a report.
 *
 *   node dist/bench/heap-diff.js start.heapsnapshot end.heapsnapshot [--top 25] [--json]
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  readonly snapshot: {
    readonly meta: {
      readonly node_fields: ReadonlyArray<string>;
      readonly node_types: ReadonlyArray<ReadonlyArray<string> | string>;
      readonly edge_fields: ReadonlyArray<string>;
      readonly edge_types: ReadonlyArray<ReadonlyArray<string> | string>;
    };
  };
  readonly nodes: ReadonlyArray<number>;
  readonly edges: ReadonlyArray<number>;
  readonly strings: ReadonlyArray<string>;
}

export interface KindTotals {
  count: number;
  selfBytes: number;
}

/**
 * Objects are keyed by their constructor's name (plain `Object`s also by their first
 * property names, sorted: `Object{prevHash,...}` is an audit record); strings, arrays, closures, code and V8's
 * hidden objects by their type (their names are contents or function names, too many to read).
 */
function kindOf(type: string, name: string): string {
  switch (type) {
    case 'object':
      return name;
    case 'native':
      return `(native) ${name}`;
    case 'array':
      return `(array) ${name}`;
    default:
      return `(${type})`;
  }
}

export function totalsByKind(path: string): Map<string, KindTotals> {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  const fields = parsed.snapshot.meta.node_fields;
  const types = parsed.snapshot.meta.node_types[0] as ReadonlyArray<string>;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const edgeCountAt = fields.indexOf('edge_count');
  const edgeFields = parsed.snapshot.meta.edge_fields;
  const edgeWidth = edgeFields.length;
  const edgeTypes = parsed.snapshot.meta.edge_types[0] as ReadonlyArray<string>;
  const edgeTypeAt = edgeFields.indexOf('type');
  const edgeNameAt = edgeFields.indexOf('name_or_index');
  const totals = new Map<string, KindTotals>();
  let edge = 0;
  for (let index = 0; index < parsed.nodes.length; index += width) {
    const edges = parsed.nodes[index + edgeCountAt]!;
    const type = types[parsed.nodes[index + typeAt]!]!;
    const name = parsed.strings[parsed.nodes[index + nameAt]!]!;
    let kind = kindOf(type, name);
    if (type === 'object' && name === 'Object') {
      const properties: string[] = [];
      for (let e = edge; e < edge + edges * edgeWidth; e += edgeWidth) {
        if (edgeTypes[parsed.edges[e + edgeTypeAt]!] === 'property') properties.push(parsed.strings[parsed.edges[e + edgeNameAt]!]!);
      }
      kind = `Object{${properties.sort().slice(0, 4).join(',')}${properties.length > 4 ? ',...' : ''}}`;
    }
    edge += edges * edgeWidth;
    let entry = totals.get(kind);
    if (entry === undefined) totals.set(kind, (entry = { count: 0, selfBytes: 0 }));
    entry.count++;
    entry.selfBytes += parsed.nodes[index + sizeAt]!;
  }
  return totals;
}

export interface KindDifference {
  readonly kind: string;
  readonly start: KindTotals;
  readonly end: KindTotals;
  readonly countDelta: number;
  readonly selfBytesDelta: number;
}

export function compare(start: Map<string, KindTotals>, end: Map<string, KindTotals>): KindDifference[] {
  const none: KindTotals = { count: 0, selfBytes: 0 };
  return [...new Set([...start.keys(), ...end.keys()])]
    .map((kind) => {
      const a = start.get(kind) ?? none;
      const b = end.get(kind) ?? none;
      return { kind, start: a, end: b, countDelta: b.count - a.count, selfBytesDelta: b.selfBytes - a.selfBytes };
    })
    .sort((x, y) => Math.abs(y.selfBytesDelta) - Math.abs(x.selfBytesDelta));
}

function main(): void {
  const [startPath, endPath] = process.argv.slice(2).filter((arg) => !arg.startsWith('--') && !/^\d+$/.test(arg));
  if (startPath === undefined || endPath === undefined) throw new Error('usage: heap-diff START.heapsnapshot END.heapsnapshot [--top N] [--json]');
  const topIndex = process.argv.indexOf('--top');
  const top = topIndex >= 0 ? Number(process.argv[topIndex + 1]) : 25;
  const start = totalsByKind(startPath);
  const end = totalsByKind(endPath);
  const sum = (totals: Map<string, KindTotals>) =>
    [...totals.values()].reduce((acc, t) => ({ count: acc.count + t.count, selfBytes: acc.selfBytes + t.selfBytes }), { count: 0, selfBytes: 0 });
  const differences = compare(start, end).slice(0, top);
  const whole = { start: sum(start), end: sum(end) };
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ whole, differences }, null, 2)}\n`);
    return;
  }
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);
  process.stdout.write(
    `whole heap: ${whole.start.count} -> ${whole.end.count} objects, ${mb(whole.start.selfBytes)} -> ${mb(whole.end.selfBytes)} MB self size\n`,
  );
  process.stdout.write('| kind | count start -> end (delta) | self MB start -> end (delta) |\n| --- | --- | --- |\n');
  for (const d of differences) {
    process.stdout.write(
      `| ${d.kind.replace(/\|/g, '\\|').slice(0, 60)} | ${d.start.count} -> ${d.end.count} (${d.countDelta >= 0 ? '+' : ''}${d.countDelta}) | ${mb(d.start.selfBytes)} -> ${mb(d.end.selfBytes)} (${d.selfBytesDelta >= 0 ? '+' : ''}${mb(d.selfBytesDelta)}) |\n`,
    );
  }
}

main();
