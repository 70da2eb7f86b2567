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

type Part = string | ParamPart;

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

/** `sql\`${a} = ${b}\`` where every interpolation is a fragment. */
export function sql(strings: TemplateStringsArray, ...fragments: ReadonlyArray<Fragment>): Fragment {
  const parts: Part[] = [];
  strings.forEach((text, index) => {
    if (text !== '') parts.push(text);
    const fragment = fragments[index];
    if (fragment !== undefined) append(parts, fragment.parts);
  });
  return new Fragment(parts);
}

export function join(fragments: ReadonlyArray<Fragment>, separator: string): Fragment {
  const parts: Part[] = [];
  fragments.forEach((fragment, index) => {
    if (index > 0) parts.push(separator);
    append(parts, fragment.parts);
  });
  return new Fragment(parts);
}

/** One part at a time: `push(...parts)` passes each as an argument, and a list of 100,000 ids overflows the stack. */
function append(parts: Part[], more: ReadonlyArray<Part>): void {
  for (const part of more) parts.push(part);
}

export function render(fragment: Fragment, placeholder: (position: number) => string): RenderedStatement {
  const params: ParamValue[] = [];
  const text = fragment.parts
    .map((part) => {
      if (typeof part === 'string') return part;
      params.push(part.value);
      return placeholder(params.length);
    })
    .join('');
  return { text, params };
}
