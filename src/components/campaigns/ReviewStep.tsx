import { formatNumber } from '../../lib/format/numbers';
import type { ConcurrencyView } from './campaigns-api';
import { formatDurationWords } from './eta';
import { estimateCallingSeconds, firstCallAt } from './review';
import type { SettingsBody } from './settings-draft';
import { describeWindow } from './time-window';

export interface ReviewStepProps {
  body: SettingsBody;
  /** Contacts chosen; null for a file (counted when it is imported). */
  contacts: number | null;
  fileName?: string;
  limits: ConcurrencyView | null;
  averageCallSeconds: number | null;
  now?: Date;
}

/** What will happen: who is called, when the first call goes out, and roughly how long it takes. */
export function ReviewStep({
  body,
  contacts,
  fileName,
  limits,
  averageCallSeconds,
  now = new Date(),
}: ReviewStepProps) {
  const first = firstCallAt(body, now);
  const when = first
    ? new Intl.DateTimeFormat('en-US', {
        dateStyle: 'full',
        timeStyle: 'short',
        timeZone: body.timezone,
      }).format(first)
    : 'No opening found in the next two weeks';
  const seconds =
    contacts !== null && limits
      ? estimateCallingSeconds(
          contacts,
          { user: limits.user.limit, system: limits.system.limit },
          averageCallSeconds,
        )
      : null;
  return (
    <dl className="facts review">
      <dt>Name</dt>
      <dd>{body.name}</dd>
      <dt>Contacts</dt>
      <dd>
        {contacts === null
          ? `Every valid row of ${fileName ?? 'the file'} (counted when it is imported)`
          : `${formatNumber(contacts)} contact${contacts === 1 ? '' : 's'}`}
        <span className="muted"> Opted-out contacts are skipped.</span>
      </dd>
      <dt>Agent</dt>
      <dd>
        <span className="mono">{body.agentId}</span> (
        {body.provider === 'simulated' ? 'simulator' : 'Bolna'})
        {body.fromNumber && ` from ${body.fromNumber}`}
      </dd>
      <dt>Window</dt>
      <dd>
        {describeWindow(body.window)} {body.timezone}
        {body.useContactTimezone && (
          <span className="muted"> (each contact’s own zone when known)</span>
        )}
      </dd>
      <dt>First call</dt>
      <dd className="review-first-call">
        {when}
        {body.useContactTimezone && (
          <span className="muted">
            {' '}
            at the earliest; contacts in other zones follow their own clock.
          </span>
        )}
      </dd>
      <dt>Estimated duration</dt>
      <dd className="review-duration">
        {seconds === null
          ? limits
            ? 'Depends on the file’s size'
            : 'Unknown (limits unavailable)'
          : `${formatDurationWords(seconds)} of calling`}
        {limits && (
          <span className="muted">
            {' '}
            at your limit of {limits.user.limit} call{limits.user.limit === 1 ? '' : 's'} at once
            (system: {limits.system.limit}), about {averageCallSeconds ?? 90} s a call; time outside
            the window comes on top.
          </span>
        )}
      </dd>
      <dt>Retries</dt>
      <dd>
        Up to {body.maxAttempts} attempt{body.maxAttempts === 1 ? '' : 's'},{' '}
        {body.retryDelayMinutes} minutes apart
      </dd>
    </dl>
  );
}
