/**
 * CSV injection (OWASP "CSV Injection"): a spreadsheet runs a cell that begins with `=`,
 * `+`, `-` or `@` as a formula, and tab or CR can smuggle one past a naive check. Such a
 * cell gets a leading single quote, which spreadsheets show as text and never evaluate.
 * A plain number (`-12.5`, `+33612345678`) is left as written: it cannot be a formula, and
 * quoting it would turn every negative total into text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/;

export function neutralizeCsvCell(cell: string): string {
  if (!FORMULA_START.test(cell) || PLAIN_NUMBER.test(cell)) return cell;
  return `'${cell}`;
}
