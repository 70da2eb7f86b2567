/**
 * The mapping check that `c360 check` prints and that `serve` runs at start: every mapped
 * table and column exists, every enum map covers the values its column holds, every REST
 * source answers a real call with the mapped paths. With a problem, `serve` is not ready:
 * /ready answers 503 with the problems and /graphql refuses with MAPPING_INVALID, rather
 * than serving rows that silently lack what the mapping promised. A source that cannot be
 * reached is checked again later (that is an outage, which /ready already reports).
 */
import type { RequestHandler } from 'express';
import type { Connector, MappingProblem } from '../../connectors/contract.js';
import { ErrorCode } from '../errors/codes.js';
import type { Runtime } from './runtime.js';

export interface MappingFinding {
  readonly source: string;
  /** The source could not be reached for this part of the check (an outage, not a mapping fault). */
  readonly unreachable?: true;
  /** Where in c360.yaml: "entities.order.fields.status". */
  readonly path: string;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

export function pathOf(problem: MappingProblem): string {
  if (problem.field === 'table') return `entities.${problem.entity}.table`;
  if (problem.field === 'endpoint') return `entities.${problem.entity}.endpoint`;
  if (problem.field === 'follow') return `entities.${problem.entity}.follow`;
  if (problem.field === 'where') return `entities.${problem.entity}.where`;
  return `entities.${problem.entity}.fields.${problem.field}`;
}

/** One source's findings; throws when the source could not be asked (down, refused). */
export async function checkConnector(connector: Connector, timeoutMillis = 30_000): Promise<ReadonlyArray<MappingFinding>> {
  const problems = await connector.checkMapping({ signal: AbortSignal.timeout(timeoutMillis) });
  return problems.map((problem) => ({
    source: connector.name,
    path: pathOf(problem),
    message: problem.message,
    severity: problem.severity === 'warning' ? 'warning' : 'error',
    ...(problem.unreachable === true ? { unreachable: true as const } : {}),
  }));
}

export function findingLine(finding: MappingFinding): string {
  return `${finding.path}: ${finding.message}`;
}

const RETRY_MILLIS = 30_000;

export class MappingCheck {
  private readonly findings = new Map<string, ReadonlyArray<MappingFinding>>();
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Settles once every source has been checked or found unreachable once. */
  readonly firstPass: Promise<void>;

  constructor(private readonly runtime: Runtime) {
    for (const name of runtime.connectors.keys()) this.pending.add(name);
    this.firstPass = this.pass();
  }

  /** Problems that keep the gateway from serving (warnings are logged only). */
  errors(): ReadonlyArray<MappingFinding> {
    return [...this.findings.values()].flat().filter((finding) => finding.severity === 'error');
  }

  warnings(): ReadonlyArray<MappingFinding> {
    return [...this.findings.values()].flat().filter((finding) => finding.severity === 'warning');
  }

  /** Sources not checked yet (unreachable so far). */
  unchecked(): ReadonlyArray<string> {
    return [...this.pending];
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async pass(): Promise<void> {
    await Promise.all(
      [...this.pending].map(async (name) => {
        const connector = this.runtime.connectors.get(name);
        if (connector === undefined) return;
        try {
          const all = await checkConnector(connector);
          // A REST endpoint that could not be reached is an outage (on /ready already): asked again later.
          const findings = all.filter((finding) => finding.unreachable !== true);
          this.findings.set(name, findings);
          if (findings.length === all.length) this.pending.delete(name);
          for (const finding of findings) {
            const log = { source: name, path: finding.path, problem: finding.message };
            if (finding.severity === 'error') this.runtime.logger.error(log, 'mapping problem: not ready until c360.yaml is fixed');
            else this.runtime.logger.warn(log, 'mapping warning');
          }
        } catch (error) {
          this.runtime.logger.warn({ source: name, detail: (error as Error).message }, 'mapping check could not reach the source; trying again later');
        }
      }),
    );
    if (this.pending.size > 0 && !this.stopped) {
      this.timer = setTimeout(() => void this.pass(), RETRY_MILLIS);
      this.timer.unref();
    }
  }
}

/** Before /ready and /graphql: 503 with the problems while the mapping does not match a source. */
export function mappingGate(check: MappingCheck): RequestHandler {
  return (req, res, next) => {
    const errors = check.errors();
    if (errors.length === 0) {
      next();
      return;
    }
    const problems = errors.map((finding) => ({ source: finding.source, path: finding.path, message: finding.message }));
    if (req.baseUrl === '/ready') {
      res.status(503).json({ status: 'mapping-invalid', problems });
      return;
    }
    res.status(503).json({
      errors: [
        {
          message: `c360 is not serving: ${errors.length} mapping problem${errors.length === 1 ? '' : 's'} (fix c360.yaml, run c360 check): ${errors.map(findingLine).join('; ')}`,
          extensions: { code: ErrorCode.MAPPING_INVALID, problems },
        },
      ],
    });
  };
}
