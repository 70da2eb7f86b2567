/**
 * Reading c360.yaml: YAML with line numbers, `${VAR}` interpolation from the environment,
 * then parseConfig. Every problem, from any of the three steps, is reported at once.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { ConfigError, pathToString, type ConfigProblem } from './errors.js';
import { parseConfig } from './parse.js';
import type { C360Config } from './types.js';

export type Environment = Readonly<Record<string, string | undefined>>;

/** `--config`, then C360_CONFIG, then ./c360.yaml; undefined when none applies (demo mode). */
export function resolveConfigPath(flag: string | undefined, env: Environment, cwd: string): string | undefined {
  if (flag !== undefined) return flag;
  if (env.C360_CONFIG !== undefined && env.C360_CONFIG !== '') return env.C360_CONFIG;
  const local = `${cwd}/c360.yaml`;
  return existsSync(local) ? local : undefined;
}

export function loadConfigFile(file: string, env: Environment = process.env): C360Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([{ path: '', message: `cannot read the file: ${(error as Error).message}` }], file);
  }
  return parseConfigText(text, env, file);
}

export function parseConfigText(text: string, env: Environment, file?: string): C360Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((error) => ({
        path: '',
        message: `YAML: ${error.message.split('\n')[0]}`,
        line: lineCounter.linePos(error.pos[0]).line,
      })),
      file,
    );
  }
  const missing: ConfigProblem[] = [];
  const raw = interpolate(doc.toJS() as unknown, env, [], missing);
  const lineOf = (path: string): number | undefined => lineFor(doc, lineCounter, path);
  if (missing.length > 0) throw new ConfigError(withLines(missing, lineOf), file);
  try {
    return parseConfig(raw, file);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(withLines(error.problems, lineOf), file);
    throw error;
  }
}

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Replaces ${VAR} in every string; a variable that is not set is a problem at that path. */
export function interpolate(value: unknown, env: Environment, path: PropertyKey[], missing: ConfigProblem[]): unknown {
  if (typeof value === 'string') {
    return value.replace(VARIABLE, (match, name: string) => {
      const replacement = env[name];
      if (replacement === undefined) {
        missing.push({ path: pathToString(path), message: `environment variable ${name} is not set` });
        return match;
      }
      return replacement;
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => interpolate(item, env, [...path, index], missing));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolate(item, env, [...path, key], missing)]));
  }
  return value;
}

function withLines(problems: ReadonlyArray<ConfigProblem>, lineOf: (path: string) => number | undefined): ConfigProblem[] {
  return problems.map((problem) => {
    const line = problem.line ?? lineOf(problem.path);
    return line === undefined ? problem : { ...problem, line };
  });
}

/** The line of the deepest node of `path` that exists in the document (a missing key: its parent). */
function lineFor(doc: Document, lineCounter: LineCounter, path: string): number | undefined {
  const parts = path.split(/\.|\[(\d+)\]/).filter((part) => part !== undefined && part !== '');
  let node: unknown = doc.contents;
  let offset: number | undefined = rangeStart(node);
  for (const part of parts) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === part);
      if (pair === undefined) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      node = node.items[Number(part)];
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}

function rangeStart(node: unknown): number | undefined {
  if (node !== null && typeof node === 'object' && 'range' in node) {
    const range = (node as { range?: [number, number, number] }).range;
    return range?.[0];
  }
  return undefined;
}
