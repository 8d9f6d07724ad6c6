import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Field names that hold secrets anywhere in this codebase (session tokens,
 * tenant credentials, provider keys, passwords). Redacted at the top level and
 * one level down, so a careless `log.info({ tenant })` still prints no secret.
 */
export const SECRET_FIELDS = [
  'token',
  'password',
  'cookie',
  'authorization',
  'accessToken',
  'webKey',
  'apiKey',
  'secretsKey',
  'databaseUrl',
  'bolnaApiKey',
  'clienttetherAccessToken',
  'clienttetherWebKey',
  'smtpUrl',
] as const;

export const REDACT_PATHS = SECRET_FIELDS.flatMap((f) => [f, `*.${f}`]);

export interface LoggerOptions {
  /** The process's role, e.g. `web` or `worker`: one field every line carries. */
  name: string;
  level?: string;
  /** Where lines go; stdout unless given (tests capture a stream). */
  destination?: DestinationStream;
}

/** The one way to make a logger: JSON lines, ISO times, secrets redacted. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? 'info',
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // Errors go through errorFields(): pino's default serializer copies every property,
      // and driver errors carry the query's parameters.
      serializers: { err: errorFields },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** What may be logged of an error: its type and stack (whose first line is the message). */
export function errorFields(error: unknown): { type: string; stack: string } {
  if (error instanceof Error)
    return { type: error.name, stack: error.stack ?? `${error.name}: ${error.message}` };
  return { type: typeof error, stack: 'non-Error thrown' };
}
