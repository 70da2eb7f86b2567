/** A problem in the configuration, located by its path in the file (and line, when read from YAML). */
export interface ConfigProblem {
  /** Dotted path in the file, e.g. "entities.contact.fields.emial". */
  readonly path: string;
  readonly message: string;
  readonly line?: number;
}

/** Every problem found at once; the process exits with CONFIG_INVALID. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'CONFIG_INVALID';
  constructor(
    readonly problems: ReadonlyArray<ConfigProblem>,
    readonly file?: string,
  ) {
    super(formatProblems(problems, file));
  }
}

function formatProblems(problems: ReadonlyArray<ConfigProblem>, file: string | undefined): string {
  const where = file === undefined ? 'the configuration' : file;
  const lines = problems.map((p) => `  - ${p.path || '(root)'}${p.line === undefined ? '' : ` (line ${p.line})`}: ${p.message}`);
  return `CONFIG_INVALID: ${problems.length} problem${problems.length === 1 ? '' : 's'} in ${where}\n${lines.join('\n')}`;
}

export function pathToString(path: ReadonlyArray<PropertyKey>): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)).join('');
}
