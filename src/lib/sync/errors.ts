/**
 * Sync failures become a sentence a tenant admin can act on. Messages are
 * built from our own words plus ClientTether's result code and HTTP status —
 * never from a response body or an exception that could carry a credential —
 * and then scrubbed of the tenant's secrets anyway (checklist 28).
 */
export class SyncError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'SyncError';
  }
}

/**
 * The sync was called off (its worker is stopping) between two steps. Not a
 * failure: the run is closed as interrupted, and the tick's next runner redoes it.
 */
export class SyncInterrupted extends Error {
  constructor() {
    super('the sync was called off');
    this.name = 'SyncInterrupted';
  }
}

/** A checkpoint between pages and steps: throws SyncInterrupted once `signal` has fired. */
export function stopIfAborted(signal: AbortSignal | undefined) {
  if (signal?.aborted) throw new SyncInterrupted();
}

interface ApiErrorLike {
  kind: string;
  status?: number;
  resultCode?: string;
  endpoint?: string;
  retryable?: boolean;
}

export function describeApiError(resource: string, error: ApiErrorLike): string {
  const where = `while reading ${resource}`;
  switch (error.kind) {
    case 'auth':
      return `ClientTether refused the credentials ${where} (HTTP ${error.status ?? 401}). Check the web key and access token in Settings.`;
    case 'rate_limited':
      return `ClientTether asked us to slow down ${where} for longer than we wait; the next sync will retry.`;
    case 'timeout':
      return `ClientTether did not answer in time ${where}; the next sync will retry.`;
    case 'network':
      return `ClientTether could not be reached ${where}; the next sync will retry.`;
    case 'invalid_response':
      return `ClientTether sent a response that could not be read ${where}.`;
    case 'api':
      return `ClientTether answered ${error.resultCode ?? 'an error'} ${where}.`;
    case 'aborted':
      return `The request to ClientTether was called off ${where}.`;
    default:
      return `ClientTether answered HTTP ${error.status ?? '?'} ${where}.`;
  }
}

/** Removes every occurrence of each secret (and anything that looks like a web key) from a message. */
export function scrubSecrets(message: string, secrets: readonly string[]): string {
  let scrubbed = message;
  for (const secret of secrets)
    if (secret.length >= 4) scrubbed = scrubbed.split(secret).join('[redacted]');
  return scrubbed.replace(/CT_[0-9a-f]{16,}/gi, '[redacted]').slice(0, 500);
}

/** The message to store for any failure: ours for SyncError, a generic one for the unexpected. */
export function failureMessage(error: unknown, secrets: readonly string[]): string {
  const message =
    error instanceof SyncError
      ? error.message
      : 'The sync stopped on an unexpected error; it has been logged.';
  return scrubSecrets(message, secrets);
}
