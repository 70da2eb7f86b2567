/**
 * SQL text with its parameters kept apart from it until the very end. Fragments are
 * composed freely (a branch a filter proves always-false is dropped with its values),
 * and placeholders are numbered only when the whole statement is rendered, so `$n`
 * (PostgreSQL) and positional `?` (MySQL) can never drift from their values.
 */
import type { Scalar } from '../contract.js';

/** A bound value: a scalar, or a list bound as one array parameter (PostgreSQL `= ANY($1)`). */
export type ParamValue = Scalar | ReadonlyArray<string>;

interface ParamPart {
  readonly value: ParamValue;
}

/** Text, a bound value, or a whole fragment kept as it is: composing never copies parts. */
type Part = string | ParamPart | Fragment;

export class Fragment {
  constructor(readonly parts: ReadonlyArray<Part>) {}
}

export interface RenderedStatement {
  /** The statement with placeholders; what `onCall` reports. */
  readonly text: string;
  readonly params: ReadonlyArray<ParamValue>;
}

/** Trusted SQL text: keywords and already-quoted identifiers, never a value. */
export function raw(text: string): Fragment {
  return new Fragment([text]);
}

export function param(value: ParamValue): Fragment {
  return new Fragment([{ value }]);
}

/**
 * `sql\`${a} = ${b}\`` where every interpolation is a fragment. The interpolated fragments are
 * held, not copied into this one's parts: a statement of nested conditions and columns was
 * copied once per nesting level (issue 12: 3% of a Q1 request's gateway CPU); render walks
 * the tree once.
 */
export function sql(strings: TemplateStringsArray, ...fragments: ReadonlyArray<Fragment>): Fragment {
  const parts: Part[] = [];
  for (let index = 0; index < strings.length; index++) {
    const text = strings[index]!;
    if (text !== '') parts.push(text);
    const fragment = fragments[index];
    if (fragment !== undefined) parts.push(fragment);
  }
  return new Fragment(parts);
}

/** The fragments with `separator` between them; a list of 300,000 values is one level of 600,000 parts. */
export function join(fragments: ReadonlyArray<Fragment>, separator: string): Fragment {
  const parts: Part[] = [];
  for (let index = 0; index < fragments.length; index++) {
    if (index > 0) parts.push(separator);
    parts.push(fragments[index]!);
  }
  return new Fragment(parts);
}

/** Placeholders numbered in text order, each value where its placeholder is; nesting depth is the composition's, never a list's length. */
export function render(fragment: Fragment, placeholder: (position: number) => string): RenderedStatement {
  const params: ParamValue[] = [];
  const chunks: string[] = [];
  const walk = (node: Fragment): void => {
    for (const part of node.parts) {
      if (typeof part === 'string') chunks.push(part);
      else if (part instanceof Fragment) walk(part);
      else {
        params.push(part.value);
        chunks.push(placeholder(params.length));
      }
    }
  };
  walk(fragment);
  return { text: chunks.join(''), params };
}
