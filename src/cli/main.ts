/**
 * The c360 command line: `serve` (the configured sources; the demo world when there is no
 * config), `demo` (always the demo world), `check` (every mapped table and column exists).
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/errors.js';
import { loadConfigFile, resolveConfigPath } from '../config/load.js';
import type { C360Config } from '../config/types.js';
import { createLogger } from '../gateway/logger.js';
import { createRuntime } from '../gateway/runtime.js';
import { startGateway } from '../gateway/server.js';
import { MappingCheck } from '../gateway/mapping-check.js';
import { runCheck } from './check.js';
import { runAudit } from './audit.js';
import { isWorker, runPrimary } from './workers.js';
import { runIdentity } from './identity.js';
import { waitForSignal } from './signals.js';

const USAGE = `usage: c360 <command> [--config FILE] [--port N] [--workers N]

commands:
  serve   serve the configured sources (the demo world when no config is found);
          --workers N: N processes sharing the port (SIGHUP restarts them one by one)
  demo    seed and serve the demo world on embedded or local databases
  check   verify that every mapped table and column exists in its source
  audit verify   check the audit log's hash chain (a changed or deleted record)
  identity fit [--sample N] [--dry-run]   fit the person model to the sources' records and write it to the config
  identity evaluate --labels FILE.csv     precision, recall, F1 and false merges by class on a labelled sample

config: --config FILE, else $C360_CONFIG, else ./c360.yaml`;

export async function main(argv: ReadonlyArray<string>): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      port: { type: 'string' },
      workers: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      sample: { type: 'string' },
      'dry-run': { type: 'boolean' },
      labels: { type: 'string' },
    },
  });
  const command = positionals[0] ?? 'serve';
  if (values.help === true || !['serve', 'demo', 'check', 'audit', 'identity'].includes(command)) {
    process.stderr.write(`${USAGE}\n`);
    return values.help === true ? 0 : 64;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    process.stderr.write(`--port must be a port number, got "${values.port}"\n`);
    return 64;
  }

  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && (command !== 'serve' || !Number.isInteger(workers) || workers < 1 || workers > 256)) {
    process.stderr.write(`--workers is for serve, and must be a number of processes (1 to 256), got "${values.workers}"\n`);
    return 64;
  }

  const file = command === 'demo' ? undefined : resolveConfigPath(values.config, process.env, process.cwd());
  if (file === undefined) {
    if (command === 'check' || command === 'audit' || command === 'identity' || workers !== undefined) {
      process.stderr.write(`c360 ${command} needs a config: --config FILE, $C360_CONFIG or ./c360.yaml\n`);
      return 64;
    }
    const { runDemo } = await import('../demo/run-demo.js');
    return runDemo({ port });
  }

  let config: C360Config;
  try {
    config = loadConfigFile(file);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 78;
    }
    throw error;
  }
  if (command === 'check') return runCheck(config);
  if (command === 'audit') return runAudit(config, positionals[1]);
  if (command === 'identity') {
    const sample = values.sample === undefined ? undefined : Number(values.sample);
    if (sample !== undefined && (!Number.isInteger(sample) || sample < 2)) {
      process.stderr.write(`--sample must be an integer of at least 2, got "${values.sample}"\n`);
      return 64;
    }
    return runIdentity(config, positionals[1], {
      file,
      ...(sample === undefined ? {} : { sample }),
      ...(values['dry-run'] === true ? { dryRun: true } : {}),
      ...(values.labels === undefined ? {} : { labels: values.labels }),
    });
  }
  // Each worker runs this same command line again and serves; the primary only supervises.
  if (workers !== undefined && !isWorker()) return runPrimary(workers, createLogger());
  return serve(config, port);
}

export async function serve(config: C360Config, port: number | undefined): Promise<number> {
  const logger = createLogger();
  const runtime = createRuntime(config, logger);
  // The mapping is checked against the sources at start: a problem keeps /ready at 503 (with it) instead of serving wrong data.
  const mappingCheck = new MappingCheck(runtime);
  const gateway = await startGateway(runtime, { ...(port === undefined ? {} : { port }), mappingCheck });
  const health = await runtime.health();
  for (const [source, state] of Object.entries(health)) {
    if (state.state !== 'up') logger.warn({ source, state: state.state, detail: state.detail }, 'source not available at start: serving degraded');
  }
  logger.info({ url: gateway.url }, 'c360 listening');
  await waitForSignal();
  logger.info('shutting down');
  mappingCheck.stop();
  await gateway.stop();
  await runtime.close();
  return 0;
}
