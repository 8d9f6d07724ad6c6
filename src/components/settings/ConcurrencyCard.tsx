import { type SubmitEvent, useId, useState } from 'react';
import type { ConcurrencyView } from '../../lib/calls/concurrency';
import { formatNumber } from '../../lib/format/numbers';
import type { MemberCallLimit } from '../../lib/users/list-call-limits';
import { callApi } from '../shared/api-client';
import { ErrorNotice } from '../shared/ErrorNotice';

export interface ConcurrencyCardProps {
  initial: ConcurrencyView;
  /** Platform admins get editors for the system's and each member's limit. */
  editable: boolean;
  members?: MemberCallLimit[];
  viewerId?: string;
}

/** Calls at once: your limit, calls active now, free slots and the system's limit. */
export function ConcurrencyCard({
  initial,
  editable,
  members = [],
  viewerId,
}: ConcurrencyCardProps) {
  const id = useId();
  const [view, setView] = useState(initial);
  const [limits, setLimits] = useState(() => new Map(members.map((m) => [m.userId, m.limit])));
  const [status, setStatus] = useState('');
  const [error, setError] = useState<unknown>(null);
  const free = Math.max(
    0,
    Math.min(view.user.limit - view.user.inFlight, view.system.limit - view.system.inFlight),
  );

  const save = async (path: string, limit: number, done: (limit: number) => void, what: string) => {
    setError(null);
    const result = await callApi<{ limit: number }>(path, { method: 'PATCH', json: { limit } });
    if (!result.ok) return setError(result.error);
    done(result.data.limit);
    setStatus(`${what} set to ${result.data.limit}.`);
  };
  const numberFrom = (event: SubmitEvent<HTMLFormElement>) =>
    Number(new FormData(event.currentTarget).get('limit'));

  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Call concurrency</h2>
      <p className="muted">
        How many calls can be in progress at once. Campaigns wait for a free slot.
      </p>
      <dl className="facts concurrency-facts">
        <dt>Your limit</dt>
        <dd className="num">{formatNumber(view.user.limit)}</dd>
        <dt>Your calls active now</dt>
        <dd className="num">{formatNumber(view.user.inFlight)}</dd>
        <dt>Free slots</dt>
        <dd className="num">{formatNumber(free)}</dd>
        <dt>System limit</dt>
        <dd className="num">
          {formatNumber(view.system.limit)}{' '}
          <span className="muted">
            ({formatNumber(view.system.inFlight)} active across all workspaces)
          </span>
        </dd>
      </dl>
      {!editable ? (
        <p className="muted">Limits are set by platform administrators.</p>
      ) : (
        <>
          <p role="status" className="campaign-status-line">
            {status}
          </p>
          <ErrorNotice error={error} />
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void save(
                '/api/admin/system/concurrency',
                numberFrom(e),
                (limit) => setView((v) => ({ ...v, system: { ...v.system, limit } })),
                'System limit',
              );
            }}
          >
            <div className="field">
              <label htmlFor={`${id}-system`}>System limit (platform administrators)</label>
              <input
                id={`${id}-system`}
                name="limit"
                type="number"
                min={0}
                max={10000}
                defaultValue={view.system.limit}
                className="small-input"
              />
            </div>
            <button type="submit" className="button secondary">
              Save system limit
            </button>
          </form>
          <div className="table-wrap">
            <table className="table">
              <caption>Members’ limits</caption>
              <thead>
                <tr>
                  <th scope="col">Member</th>
                  <th scope="col">Role</th>
                  <th scope="col">Calls at once</th>
                </tr>
              </thead>
              <tbody>
                {members.map((m) => (
                  <tr key={m.userId}>
                    <th scope="row">
                      {m.name} <span className="muted">{m.email}</span>
                    </th>
                    <td>{m.role}</td>
                    <td>
                      <form
                        className="row-form"
                        onSubmit={(e) => {
                          e.preventDefault();
                          void save(
                            `/api/admin/users/${m.userId}/concurrency`,
                            numberFrom(e),
                            (limit) => {
                              setLimits((current) => new Map(current).set(m.userId, limit));
                              // The viewer's own row moves "Your limit" too.
                              if (m.userId === viewerId)
                                setView((v) => ({ ...v, user: { ...v.user, limit } }));
                            },
                            `${m.name}’s limit`,
                          );
                        }}
                      >
                        <input
                          name="limit"
                          type="number"
                          min={0}
                          max={10000}
                          defaultValue={limits.get(m.userId)}
                          aria-label={`Calls at once for ${m.name}`}
                          className="small-input"
                        />
                        <button type="submit" className="button secondary small">
                          Save
                        </button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
