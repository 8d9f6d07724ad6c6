import type { WaitingCall } from '../../lib/campaigns/list-waiting-calls';
import { formatDurationWords } from './eta';
import { outcomeLabel } from './outcome-labels';

const STATES: Record<string, string> = {
  queued: 'Waiting',
  dispatching: 'Dialling',
  in_progress: 'On the call',
};

/** The calls still to make, in the order they will be placed, with a rough wait each. */
export function QueueTable({ rows, timeZone }: { rows: WaitingCall[]; timeZone: string }) {
  const time = new Intl.DateTimeFormat('en-US', {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone,
  });
  return (
    <section
      className="table-wrap"
      aria-label="Queue"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: keyboard users must be able to scroll a wide table
      tabIndex={0}
    >
      <table className="table queue-table">
        <caption className="visually-hidden">Calls still to make</caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              Position
            </th>
            <th scope="col">Contact</th>
            <th scope="col">State</th>
            <th scope="col">Earliest call</th>
            <th scope="col">Estimated wait</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr className="data-table-empty">
              <td colSpan={5}>Nothing left to call.</td>
            </tr>
          ) : (
            rows.map((r) => (
              <tr key={r.id}>
                <td className="num">{r.position ?? '—'}</td>
                <th scope="row">
                  {r.contactName || <span className="muted">No name</span>}
                  <div className="muted mono">{r.phoneE164}</div>
                </th>
                <td>
                  {STATES[r.status] ?? r.status}
                  <AttemptNote call={r} />
                </td>
                <td>{r.scheduledAt ? time.format(new Date(r.scheduledAt)) : 'When resumed'}</td>
                <td>
                  {r.estimatedWaitSeconds === null
                    ? '—'
                    : r.estimatedWaitSeconds < 1
                      ? 'Next up'
                      : formatDurationWords(r.estimatedWaitSeconds)}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </section>
  );
}

/**
 * Which attempt this is (a waiting call's next one; the one under way for a
 * call in flight), and how the last one ended when it is to be tried again.
 */
function AttemptNote({ call }: { call: WaitingCall }) {
  const waiting = call.status === 'queued';
  const attempt = waiting ? call.attempt + 1 : call.attempt;
  if (attempt <= 1) return null;
  return (
    <span className="muted">
      {' '}
      (attempt {attempt}
      {waiting && call.lastOutcome ? `; last: ${outcomeLabel(call.lastOutcome)}` : ''})
    </span>
  );
}
