import type { CallHistoryRow } from '../../lib/campaigns/list-call-history';
import { outcomeLabel } from './outcome-labels';

export function formatCallDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** Calls placed so far, with the provider's recording and transcript when it sent them. */
export function CallHistoryTable({ rows, timeZone }: { rows: CallHistoryRow[]; timeZone: string }) {
  const time = new Intl.DateTimeFormat('en-US', {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone,
  });
  return (
    <section
      className="table-wrap"
      aria-label="Call history"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: keyboard users must be able to scroll a wide table
      tabIndex={0}
    >
      <table className="table call-history">
        <caption className="visually-hidden">Call history</caption>
        <thead>
          <tr>
            <th scope="col">Contact</th>
            <th scope="col">Outcome</th>
            <th scope="col" className="num">
              Duration
            </th>
            <th scope="col" className="num">
              Attempt
            </th>
            <th scope="col">When</th>
            <th scope="col">Recording / transcript</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr className="data-table-empty">
              <td colSpan={6}>No calls placed yet.</td>
            </tr>
          ) : (
            rows.map((r) => (
              <tr key={r.id}>
                <th scope="row">
                  {r.contactName || <span className="muted">No name</span>}
                  <div className="muted mono">{r.phoneE164}</div>
                </th>
                <td>
                  {r.outcome ? outcomeLabel(r.outcome) : r.status.replace('_', ' ')}
                  {r.lastError && <div className="muted small">{r.lastError}</div>}
                </td>
                <td className="num">{formatCallDuration(r.durationSeconds)}</td>
                <td className="num">{r.attempt}</td>
                <td>
                  {r.finishedAt || r.dialledAt ? (
                    <time dateTime={r.finishedAt ?? r.dialledAt ?? ''}>
                      {time.format(new Date(r.finishedAt ?? r.dialledAt ?? ''))}
                    </time>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  {r.recordingUrl && (
                    <a href={r.recordingUrl} target="_blank" rel="noopener noreferrer">
                      Recording
                      <span className="visually-hidden">
                        {' '}
                        of the call with {r.contactName || r.phoneE164}
                      </span>
                    </a>
                  )}
                  {r.transcript && (
                    <details className="transcript">
                      <summary>Transcript</summary>
                      <pre>{r.transcript}</pre>
                    </details>
                  )}
                  {!r.recordingUrl && !r.transcript && <span className="muted">—</span>}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </section>
  );
}
