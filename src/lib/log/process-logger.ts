import pino from 'pino';
import { createLogger, type Logger } from './logger';

let current: Logger | undefined;

/**
 * Names the logger that code below the edges (sync, imports, live events,
 * mail) writes to when it has no request to log against. The web middleware
 * and the worker call this once at start.
 */
export function setProcessLogger(logger: Logger): void {
  current = logger;
}

/** That logger; before anyone set one (a CLI, a script) JSON lines on stderr, leaving stdout to the output. */
export function processLogger(): Logger {
  current ??= createLogger({ name: 'app', destination: pino.destination({ dest: 2, sync: true }) });
  return current;
}

/**
 * A `(message, error)` callback, as the live hub, SSE streams and imports
 * take, logging at error level with `scope` (e.g. `events`) on the line.
 */
export function errorReporter(scope: string) {
  return (message: string, error?: unknown): void => {
    const log = processLogger();
    if (error === undefined) log.error({ scope }, message);
    else log.error({ scope, err: error }, message);
  };
}
