import { type SubmitEvent, useCallback, useEffect, useId, useState } from 'react';
import type { ContactList } from '../../lib/contacts/list-contacts';
import { formatNumber } from '../../lib/format/numbers';
import { ErrorNotice } from '../shared/ErrorNotice';
import { type CampaignsApi, campaignsApi } from './campaigns-api';

export type PickedContacts = { kind: 'ids'; ids: number[] } | { kind: 'all'; count: number };

export interface ContactPickerProps {
  value: PickedContacts;
  onChange: (next: PickedContacts) => void;
  api?: CampaignsApi;
  pageSize?: number;
}

/** Most ids one campaign takes (the API's limit). */
const MAX_IDS = 100_000;

/**
 * Search the workspace's contacts, tick them page by page, or take every
 * contact matching the search at once ("select all matching").
 */
export function ContactPicker({
  value,
  onChange,
  api = campaignsApi,
  pageSize = 25,
}: ContactPickerProps) {
  const id = useId();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<ContactList | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [collecting, setCollecting] = useState<string | null>(null);
  const after = cursors[cursors.length - 1] ?? null;

  const load = useCallback(async () => {
    setLoading(true);
    const result = await api.contacts({ q: search, after, limit: pageSize });
    setLoading(false);
    if (!result.ok) return setError(result.error);
    setError(null);
    setPage(result.data);
  }, [api, search, after, pageSize]);
  useEffect(() => {
    void load();
  }, [load]);

  const ids = new Set(value.kind === 'ids' ? value.ids : []);
  const all = value.kind === 'all';
  const toggle = (contactId: number) => {
    const next = new Set(ids);
    if (next.has(contactId)) next.delete(contactId);
    else next.add(contactId);
    onChange({ kind: 'ids', ids: [...next] });
  };
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSearch(q.trim());
    setCursors([null]);
  };
  const matching = page?.total ?? page?.totalExceeds;

  // With no search, "all matching" is every contact: the server selects them itself.
  const selectAllMatching = async () => {
    if (!search) return onChange({ kind: 'all', count: page?.total ?? page?.totalExceeds ?? 0 });
    const found = new Set(ids);
    let cursor: string | null = null;
    do {
      setCollecting(`Selecting… ${formatNumber(found.size)} so far`);
      const result = await api.contacts({ q: search, after: cursor, limit: 100 });
      if (!result.ok) {
        setCollecting(null);
        return setError(result.error);
      }
      for (const c of result.data.items) found.add(c.id);
      cursor = result.data.nextCursor;
    } while (cursor && found.size < MAX_IDS);
    setCollecting(null);
    onChange({ kind: 'ids', ids: [...found] });
  };

  const chosen = all ? value.count : ids.size;
  return (
    <div className="contact-picker">
      <form className="search-form" aria-label="Search contacts" onSubmit={submit}>
        <label className="visually-hidden" htmlFor={`${id}-q`}>
          Search contacts
        </label>
        <input
          id={`${id}-q`}
          className="input"
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder="Name, company, email or phone"
          maxLength={200}
        />
        <button type="submit" className="button secondary">
          Search
        </button>
      </form>
      <div className="picker-bar">
        <span className="picker-count" aria-live="polite">
          {all
            ? `All ${formatNumber(chosen)} contacts selected`
            : `${formatNumber(chosen)} selected`}
        </span>
        {matching !== undefined && matching > 0 && (
          <button
            type="button"
            className="button secondary small"
            onClick={selectAllMatching}
            disabled={collecting !== null}
          >
            {search
              ? `Select all ${formatNumber(matching)}${page?.totalExceeds ? '+' : ''} matching “${search}”`
              : `Select all ${formatNumber(matching)}${page?.totalExceeds ? '+' : ''} contacts`}
          </button>
        )}
        {chosen > 0 && (
          <button
            type="button"
            className="button secondary small"
            onClick={() => onChange({ kind: 'ids', ids: [] })}
          >
            Clear selection
          </button>
        )}
        {collecting && <span className="muted">{collecting}</span>}
      </div>
      <ErrorNotice error={error} onRetry={load} context="The contacts could not be loaded." />
      {loading && !page ? (
        <p className="muted">Loading contacts…</p>
      ) : page && page.items.length === 0 ? (
        <p className="muted">
          {search ? `No contacts match “${search}”.` : 'No contacts yet. '}
          {!search && <a href="/contacts/import">Import some</a>}
        </p>
      ) : (
        page && (
          <ul className="picker-list" aria-busy={loading || undefined}>
            {page.items.map((c) => (
              <li key={c.id}>
                <label>
                  <input
                    type="checkbox"
                    checked={all || ids.has(c.id)}
                    disabled={all}
                    onChange={() => toggle(c.id)}
                  />
                  <span className="picker-name">{c.name || c.phoneE164}</span>
                  <span className="muted mono">{c.name ? c.phoneE164 : ''}</span>
                  {c.optedOutAt && <span className="badge warn">Opted out: skipped</span>}
                </label>
              </li>
            ))}
          </ul>
        )
      )}
      {page && (cursors.length > 1 || page.nextCursor) && (
        <nav className="pagination" aria-label="Contact pages">
          <button
            type="button"
            className="button secondary small"
            disabled={cursors.length <= 1 || loading}
            onClick={() => setCursors((c) => c.slice(0, -1))}
          >
            Previous
          </button>
          <span className="muted">Page {cursors.length}</span>
          <button
            type="button"
            className="button secondary small"
            disabled={!page.nextCursor || loading}
            onClick={() => setCursors((c) => [...c, page.nextCursor])}
          >
            Next
          </button>
        </nav>
      )}
    </div>
  );
}
