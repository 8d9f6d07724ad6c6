import { type ErrorAdvice, handleApiError } from './handle-api-error';

export interface ErrorNoticeProps {
  /** An API failure (or its advice); nothing is shown for null. */
  error: unknown;
  /** Offered as a "Try again" button when retrying can help. */
  onRetry?: () => void;
  /** Words before the message, e.g. "The list could not be refreshed:". */
  context?: string;
}

/**
 * An API failure as a person reads it: what happened, what to do, and a
 * retry button only when retrying helps. A lost connection is a quiet
 * "reconnecting" status rather than an alarm.
 */
export function ErrorNotice({ error, onRetry, context }: ErrorNoticeProps) {
  if (!error) return null;
  const advice: ErrorAdvice = isAdvice(error) ? error : handleApiError(error);
  if (advice.reconnecting) {
    return (
      <p className="alert warning error-notice reconnecting" role="status">
        <span className="spinner" aria-hidden="true" /> Reconnecting… {advice.message} {advice.hint}
      </p>
    );
  }
  return (
    <div className="alert error error-notice" role="alert">
      <p>
        <strong>{advice.title}.</strong> {context ? `${context} ` : ''}
        {advice.message} <span className="error-hint">{advice.hint}</span>
      </p>
      {advice.retryable && onRetry && (
        <button type="button" className="button secondary small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

function isAdvice(value: unknown): value is ErrorAdvice {
  return typeof (value as ErrorAdvice).hint === 'string';
}
