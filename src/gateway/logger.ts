/** Structured JSON logs (pino): fast, and every line carries the request id where there is one. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const level = options.level ?? process.env.C360_LOG_LEVEL ?? 'info';
  return options.destination === undefined ? pino({ level, base: { service: 'c360' } }) : pino({ level, base: { service: 'c360' } }, options.destination);
}
