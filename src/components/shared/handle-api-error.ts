/**
 * One reading of every API failure for the islands: a specific message per
 * error code, whether trying again can help, and what to do instead.
 */
import type { AppError, ErrorCode } from '../../lib/api/result';
import type { ApiFailure } from './api-client';

export type ErrorAction = 'retry' | 'wait' | 'fix-input' | 'sign-in' | 'reload' | 'none';

export interface ErrorAdvice {
  code: ErrorCode | 'NETWORK';
  title: string;
  /** What went wrong, in the server's words when they are specific. */
  message: string;
  /** What to do about it. */
  hint: string;
  /** True when the same request may succeed if sent again. */
  retryable: boolean;
  action: ErrorAction;
  /** The connection is gone: show "reconnecting", never the last numbers as current. */
  reconnecting: boolean;
  retryAfterSeconds?: number;
  fields?: Record<string, string>;
}

type Advice = Pick<ErrorAdvice, 'title' | 'hint' | 'retryable' | 'action'> & {
  /** Our words instead of the server's (its INTERNAL message says nothing useful). */
  message?: string;
};

const BY_CODE: Record<ErrorCode, Advice> = {
  VALIDATION: {
    title: 'Check your input',
    hint: 'Correct the highlighted fields and try again.',
    retryable: false,
    action: 'fix-input',
  },
  UNAUTHENTICATED: {
    title: 'Signed out',
    message: 'Your session has ended.',
    hint: 'Sign in again to continue.',
    retryable: false,
    action: 'sign-in',
  },
  FORBIDDEN: {
    title: 'Not allowed',
    hint: 'Ask a workspace owner or admin if you need this.',
    retryable: false,
    action: 'none',
  },
  NOT_FOUND: {
    title: 'Not found',
    hint: 'It may have been deleted. Reload the page to see what is there now.',
    retryable: false,
    action: 'reload',
  },
  CONFLICT: {
    title: 'Changed meanwhile',
    hint: 'Reload the page to see its current state, then try again.',
    retryable: false,
    action: 'reload',
  },
  PRECONDITION_FAILED: {
    title: 'Not possible yet',
    hint: 'Something has to be set up first; the message says what.',
    retryable: false,
    action: 'none',
  },
  RATE_LIMITED: {
    title: 'Too many requests',
    hint: 'Wait a moment, then try again.',
    retryable: true,
    action: 'wait',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    title: 'Wrong format',
    hint: 'Reload the page and try again.',
    retryable: false,
    action: 'reload',
  },
  PAYLOAD_TOO_LARGE: {
    title: 'Too large',
    hint: 'Send less at once, for example split the file.',
    retryable: false,
    action: 'fix-input',
  },
  INTERNAL: {
    title: 'Something went wrong',
    message: 'Something went wrong on our side.',
    hint: 'Trying again usually helps.',
    retryable: true,
    action: 'retry',
  },
};

function isAppError(value: unknown): value is AppError {
  const e = value as AppError | null;
  return typeof e?.code === 'string' && typeof e.message === 'string' && e.code in BY_CODE;
}

export function handleApiError(error: ApiFailure | AppError | unknown): ErrorAdvice {
  if ((error as ApiFailure | null)?.network) {
    return {
      code: 'NETWORK',
      title: 'Connection lost',
      // The transport's own words ("The upload was interrupted.") say what was lost.
      message: (error as ApiFailure).message || 'Could not reach the server.',
      hint: 'Check your connection; this retries by itself once you are back online.',
      retryable: true,
      action: 'retry',
      reconnecting: true,
    };
  }
  if (!isAppError(error)) return { ...handleApiError(internal()), code: 'INTERNAL' };
  const advice = BY_CODE[error.code];
  const wait = error.retryAfterSeconds;
  return {
    code: error.code,
    title: advice.title,
    message: advice.message ?? error.message,
    hint:
      error.code === 'RATE_LIMITED' && wait
        ? `Try again in ${wait} second${wait === 1 ? '' : 's'}.`
        : advice.hint,
    retryable: advice.retryable,
    action: advice.action,
    reconnecting: false,
    retryAfterSeconds: wait,
    fields: error.fields,
  };
}

const internal = (): AppError => ({ code: 'INTERNAL', message: '', retryable: true });

/** "Message Hint" in one line, for places with room for a sentence only. */
export function describeApiError(error: ApiFailure | AppError | unknown): string {
  const advice = handleApiError(error);
  return `${advice.message} ${advice.hint}`;
}
