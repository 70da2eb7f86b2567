/** Files that ship with c360 (schema/, the explorer), found from this module whether run from src or dist. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function projectRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'schema'))) return (root = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the c360 project root (package.json beside schema/)');
    dir = parent;
  }
}

/** The canonical SDL: every schema/*.graphql, in name order. */
export function readSchemaFiles(): string[] {
  const dir = join(projectRoot(), 'schema');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.graphql'))
    .sort()
    .map((name) => readFileSync(join(dir, name), 'utf8'));
}
