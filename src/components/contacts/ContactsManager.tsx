import { type MouseEvent, useEffect, useMemo, useRef, useState } from 'react';
import { displayPhone } from '../../lib/contacts/display-phone';
import type { ContactList } from '../../lib/contacts/list-contacts';
import type { BulkAction, ContactSort, ContactSortDirection } from '../../lib/contacts/schemas';
import type { ContactView } from '../../lib/contacts/types';
import { formatNumber } from '../../lib/format/numbers';
import { ErrorNotice } from '../shared/ErrorNotice';
import { describeApiError } from '../shared/handle-api-error';
import { ConfirmDialog } from './ConfirmDialog';
import { ContactModal } from './ContactModal';
import { contactsApi, listQuery } from './contacts-api';

export interface ContactsQuery {
  q: string;
  sort: ContactSort;
  dir: ContactSortDirection;
  after: string | null;
}

export interface ContactsManagerProps {
  /** The page the server rendered, so the table is there before (and without) JavaScript. */
  initial: ContactList;
  query: ContactsQuery;
  /** The workspace's phone region: its numbers show in national form. */
  region: string;
  /** The workspace's time zone, for the "Added" dates. */
  timeZone: string;
  importHref?: string;
}

type Modal =
  | { kind: 'add' }
  | { kind: 'edit'; contact: ContactView }
  | { kind: 'delete'; contact: ContactView }
  | { kind: 'bulk'; action: BulkAction; ids: number[] };

const COLUMNS: { key: string; label: string; sort?: ContactSort }[] = [
  { key: 'name', label: 'Name', sort: 'name' },
  { key: 'phone', label: 'Phone' },
  { key: 'email', label: 'Email' },
  { key: 'company', label: 'Company', sort: 'company' },
  { key: 'tags', label: 'Tags' },
  { key: 'created', label: 'Added', sort: 'created' },
];
const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;
/** "Call selected": the campaign wizard, at its settings step, with these contacts. */
export const callHref = (ids: readonly number[]) => `/campaigns/new?contacts=${ids.join(',')}`;
const plural = (n: number, one: string, many = `${one}s`) =>
  `${formatNumber(n)} ${n === 1 ? one : many}`;

/**
 * The contacts table with its actions: add and edit in a modal, delete with
 * a confirmation, bulk delete or opt-out of the selected rows. Sorting and
 * paging are links, so they work before hydration too. Use with `client:load`.
 */
export function ContactsManager({
  initial,
  query,
  region,
  timeZone,
  importHref = '/contacts/import',
}: ContactsManagerProps) {
  const [list, setList] = useState(initial);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [modal, setModal] = useState<Modal | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [hydrated, setHydrated] = useState(false);
  const opener = useRef<HTMLElement | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const selectAll = useRef<HTMLInputElement>(null);
  const dates = useMemo(
    () => new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone }),
    [timeZone],
  );

  useEffect(() => setHydrated(true), []);

  const ids = list.items.map((c) => c.id);
  const chosen = ids.filter((id) => selected.has(id));
  const allChosen = ids.length > 0 && chosen.length === ids.length;
  useEffect(() => {
    if (selectAll.current) selectAll.current.indeterminate = chosen.length > 0 && !allChosen;
  });

  const open = (next: Modal) => (event: MouseEvent<HTMLElement>) => {
    opener.current = event.currentTarget;
    setModal(next);
  };
  const close = () => setModal(null);
  // The opener may be gone (a deleted row) or disabled (nothing selected any more).
  const returnFocus = () => {
    const target = opener.current;
    const usable = target?.isConnected && !(target as HTMLButtonElement).disabled;
    return usable ? target : addButton.current;
  };

  const refresh = async () => {
    const result = await contactsApi.list(query);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setError(null);
    setList(result.data);
    const present = new Set(result.data.items.map((c) => c.id));
    setSelected((current) => new Set([...current].filter((id) => present.has(id))));
  };

  const toggle = (id: number) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const toggleAll = () => setSelected(allChosen ? new Set() : new Set(ids));

  const saved = async (contact: ContactView) => {
    const added = modal?.kind === 'add';
    await refresh();
    setModal(null);
    setStatus(`${added ? 'Added' : 'Saved'} ${contact.name || contact.phoneE164}.`);
  };

  const removeOne = (contact: ContactView) => async () => {
    const result = await contactsApi.remove(contact.id);
    if (!result.ok && result.error.code !== 'NOT_FOUND') return describeApiError(result.error);
    await refresh();
    setModal(null);
    setStatus(`Deleted ${contact.name || contact.phoneE164}.`);
    return null;
  };

  const runBulk = (action: BulkAction, targets: number[]) => async () => {
    const result = await contactsApi.bulk({ action, ids: targets });
    if (!result.ok) return describeApiError(result.error);
    setSelected(new Set());
    await refresh();
    setModal(null);
    const n = result.data.affected;
    setStatus(
      action === 'delete'
        ? `Deleted ${plural(n, 'contact')}.`
        : `Opted out ${plural(n, 'contact')}.`,
    );
    return null;
  };

  const href = (params: Partial<ContactsQuery>) => {
    const next = { ...query, after: null, ...params };
    return `?${listQuery({ q: next.q, sort: next.sort, dir: next.dir, after: next.after })}`;
  };
  const sortHref = (key: ContactSort) => {
    const dir =
      query.sort === key
        ? query.dir === 'asc'
          ? 'desc'
          : 'asc'
        : key === 'created'
          ? 'desc'
          : 'asc';
    return href({ sort: key, dir });
  };

  const empty = list.items.length === 0;
  const summary =
    list.total !== undefined
      ? query.q
        ? `${plural(list.total, 'contact')} match “${query.q}”`
        : plural(list.total, 'contact')
      : list.totalExceeds !== undefined
        ? `More than ${plural(list.totalExceeds, 'contact')}${query.q ? ` match “${query.q}”` : ''}`
        : '';

  return (
    <div className="contacts-manager">
      <div className="contacts-toolbar">
        <fieldset className="bulk-actions">
          <legend className="visually-hidden">Selected contacts</legend>
          <span className="bulk-count" aria-live="polite">
            {chosen.length ? `${formatNumber(chosen.length)} selected` : 'None selected'}
          </span>
          <button
            type="button"
            className="button secondary small"
            disabled={!hydrated || !chosen.length}
            onClick={open({ kind: 'bulk', action: 'opt_out', ids: chosen })}
          >
            Opt out selected
          </button>
          <button
            type="button"
            className="button secondary small danger-text"
            disabled={!hydrated || !chosen.length}
            onClick={open({ kind: 'bulk', action: 'delete', ids: chosen })}
          >
            Delete selected
          </button>
          <button
            type="button"
            className="button small"
            disabled={!hydrated || !chosen.length}
            onClick={() => window.location.assign(callHref(chosen))}
          >
            Call selected
          </button>
        </fieldset>
        <button
          ref={addButton}
          type="button"
          className="button"
          disabled={!hydrated}
          onClick={open({ kind: 'add' })}
        >
          Add contact
        </button>
      </div>
      <p className="contacts-status" role="status">
        {status}
      </p>
      <ErrorNotice error={error} onRetry={refresh} context="The list could not be refreshed." />

      {empty && !query.q && !query.after ? (
        <div className="card empty-state contacts-empty">
          <h2>No contacts yet</h2>
          <p className="muted">
            Add people one at a time, or import a CSV file with their phone numbers.
          </p>
          <div className="empty-actions">
            <button
              type="button"
              className="button"
              disabled={!hydrated}
              onClick={open({ kind: 'add' })}
            >
              Add contact
            </button>
            <a className="button secondary" href={importHref}>
              Import CSV
            </a>
          </div>
        </div>
      ) : (
        <section className="card contacts-card" aria-label="Contacts">
          {summary && <p className="contacts-summary">{summary}</p>}
          <div className="table-wrap">
            <table className="table data-table contacts-table">
              <caption className="visually-hidden">Contacts</caption>
              <thead>
                <tr>
                  <th scope="col" className="col-select">
                    <input
                      ref={selectAll}
                      type="checkbox"
                      aria-label="Select all contacts on this page"
                      checked={allChosen}
                      disabled={!hydrated || empty}
                      onChange={toggleAll}
                    />
                  </th>
                  {COLUMNS.map((column) => {
                    const sorted =
                      column.sort && query.sort === column.sort ? query.dir : undefined;
                    return (
                      <th
                        key={column.key}
                        scope="col"
                        className={`col-${column.key}`}
                        aria-sort={sorted ? ARIA_SORT[sorted] : undefined}
                      >
                        {column.sort ? (
                          <a
                            className={`sort-link${sorted ? ' sorted' : ''}`}
                            href={sortHref(column.sort)}
                          >
                            {column.label}
                            <span className="sort-arrow" aria-hidden="true">
                              {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}
                            </span>
                          </a>
                        ) : (
                          column.label
                        )}
                      </th>
                    );
                  })}
                  <th scope="col" className="col-actions">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {empty ? (
                  <tr className="data-table-empty">
                    <td colSpan={8}>
                      {query.q ? (
                        <>
                          No contacts match “{query.q}”.{' '}
                          <a href={href({ q: '' })}>Clear the search</a>
                        </>
                      ) : (
                        <>
                          No more contacts. <a href={href({})}>Back to the first page</a>
                        </>
                      )}
                    </td>
                  </tr>
                ) : (
                  list.items.map((contact) => {
                    const label = contact.name || contact.phoneE164;
                    return (
                      <tr
                        key={contact.id}
                        className={selected.has(contact.id) ? 'is-selected' : undefined}
                      >
                        <td className="col-select">
                          <input
                            type="checkbox"
                            aria-label={`Select ${label}`}
                            checked={selected.has(contact.id)}
                            disabled={!hydrated}
                            onChange={() => toggle(contact.id)}
                          />
                        </td>
                        <th scope="row" className="col-name">
                          {contact.name || <span className="muted">No name</span>}
                          {contact.optedOutAt && (
                            <span
                              className="badge warn opted-out-badge"
                              title={`Opted out ${dates.format(new Date(contact.optedOutAt))}`}
                            >
                              Opted out
                            </span>
                          )}
                        </th>
                        <td className="col-phone">
                          <span className="phone">{displayPhone(contact.phoneE164, region)}</span>
                        </td>
                        <td className="col-email">{contact.email ?? ''}</td>
                        <td className="col-company">{contact.company ?? ''}</td>
                        <td className="col-tags">
                          {contact.tags.map((tag) => (
                            <span key={tag} className="tag">
                              {tag}
                            </span>
                          ))}
                        </td>
                        <td className="col-created">{dates.format(new Date(contact.createdAt))}</td>
                        <td className="col-actions">
                          <div className="row-actions">
                            <button
                              type="button"
                              className="button secondary small"
                              aria-label={`Edit ${label}`}
                              disabled={!hydrated}
                              onClick={open({ kind: 'edit', contact })}
                            >
                              Edit
                            </button>
                            <button
                              type="button"
                              className="button secondary small danger-text"
                              aria-label={`Delete ${label}`}
                              disabled={!hydrated}
                              onClick={open({ kind: 'delete', contact })}
                            >
                              Delete
                            </button>
                          </div>
                        </td>
                      </tr>
                    );
                  })
                )}
              </tbody>
            </table>
          </div>
          {(query.after || list.nextCursor) && (
            <nav className="pagination" aria-label="Contacts pages">
              {query.after ? (
                <a className="button secondary pagination-link" href={href({})}>
                  First page
                </a>
              ) : (
                <span />
              )}
              {list.nextCursor && (
                <a
                  className="button secondary pagination-link"
                  href={href({ after: list.nextCursor })}
                  rel="next"
                >
                  Next page
                </a>
              )}
            </nav>
          )}
        </section>
      )}

      {(modal?.kind === 'add' || modal?.kind === 'edit') && (
        <ContactModal
          contact={modal.kind === 'edit' ? modal.contact : null}
          api={contactsApi}
          onSaved={saved}
          onClose={close}
          returnFocus={returnFocus}
        />
      )}
      {modal?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${modal.contact.name || modal.contact.phoneE164}?`}
          message="The contact is removed from this workspace. This can't be undone."
          confirmLabel="Delete contact"
          onConfirm={removeOne(modal.contact)}
          onCancel={close}
          returnFocus={returnFocus}
        />
      )}
      {modal?.kind === 'bulk' && (
        <ConfirmDialog
          title={
            modal.action === 'delete'
              ? `Delete ${plural(modal.ids.length, 'contact')}?`
              : `Opt out ${plural(modal.ids.length, 'contact')}?`
          }
          message={
            modal.action === 'delete'
              ? "The selected contacts are removed from this workspace. This can't be undone."
              : "Opted-out contacts are never called. Opting out can't be undone."
          }
          confirmLabel={modal.action === 'delete' ? 'Delete contacts' : 'Opt out contacts'}
          onConfirm={runBulk(modal.action, modal.ids)}
          onCancel={close}
          returnFocus={returnFocus}
        />
      )}
    </div>
  );
}
