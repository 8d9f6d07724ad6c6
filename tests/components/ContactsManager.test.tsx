// @vitest-environment jsdom
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ContactsManager,
  type ContactsManagerProps,
} from '../../src/components/contacts/ContactsManager';
import type { ContactList } from '../../src/lib/contacts/list-contacts';
import type { ContactView } from '../../src/lib/contacts/types';
import { settle } from './dom';

function contact(id: number, overrides: Partial<ContactView> = {}): ContactView {
  return {
    id,
    name: `Person ${id}`,
    phoneE164: `+1415555010${id}`,
    phoneRaw: `415 555 010${id}`,
    email: null,
    company: null,
    timezone: 'America/Los_Angeles',
    tags: [],
    attributes: {},
    optedOutAt: null,
    source: 'manual',
    createdAt: '2026-03-02T15:00:00.000Z',
    updatedAt: '2026-03-02T15:00:00.000Z',
    ...overrides,
  };
}

const ADA = contact(1, { name: 'Ada Lovelace', company: 'Engines', tags: ['vip'] });
const BEA = contact(2, {
  name: 'Bea',
  phoneE164: '+442079460018',
  optedOutAt: '2026-03-01T10:00:00.000Z',
});
const LIST: ContactList = {
  items: [ADA, BEA],
  nextCursor: null,
  sort: 'name',
  dir: 'asc',
  total: 2,
};

type Answer = { status: number; body: unknown } | Promise<{ status: number; body: unknown }>;

/** fetch answering each request from `routes` ("METHOD /path" → answer); the calls are recorded. */
function serve(routes: Record<string, Answer | Answer[]>) {
  const fetch = vi.fn(async (input: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    const path = input.split('?')[0];
    const route = routes[`${method} ${path}`];
    if (!route) throw new Error(`unexpected ${method} ${input}`);
    const answer = await (Array.isArray(route)
      ? route.length > 1
        ? route.shift()
        : route[0]
      : route);
    if (!answer) throw new Error(`no answer for ${method} ${input}`);
    return new Response(JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

const listed = (list: ContactList = LIST) => ({ status: 200, body: { ok: true, data: list } });

async function renderManager(props: Partial<ContactsManagerProps> = {}) {
  render(
    <ContactsManager
      initial={LIST}
      query={{ q: '', sort: 'name', dir: 'asc', after: null }}
      region="US"
      timeZone="America/New_York"
      {...props}
    />,
  );
  await settle();
}

const button = (name: string | RegExp) => screen.getByRole('button', { name });
const bodyOf = (call: unknown[] | undefined) =>
  JSON.parse(String((call?.[1] as RequestInit | undefined)?.body ?? 'null'));

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('ContactsManager', () => {
  it('shows the contacts with formatted phones, the opted-out badge and sort links', async () => {
    serve({});
    await renderManager();
    const rows = screen.getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(within(rows[1] as HTMLElement).getByText('(415) 555-0101')).toBeInTheDocument();
    expect(within(rows[2] as HTMLElement).getByText('+44 20 7946 0018')).toBeInTheDocument();
    expect(within(rows[2] as HTMLElement).getByText('Opted out')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /^Name/ })).toHaveAttribute(
      'href',
      '?sort=name&dir=desc',
    );
    expect(screen.getByRole('link', { name: /^Added/ })).toHaveAttribute(
      'href',
      '?sort=created&dir=desc',
    );
    expect(screen.getByRole('columnheader', { name: /^Name/ })).toHaveAttribute(
      'aria-sort',
      'ascending',
    );
    expect(screen.getByText('2 contacts')).toBeInTheDocument();
    // "Call selected" (issue 7) waits for a selection.
    expect(screen.getByRole('button', { name: 'Call selected' })).toBeDisabled();
  });

  it('opens the add dialog, focuses its first field, closes on Escape and returns focus', async () => {
    serve({});
    await renderManager();
    const add = button('Add contact');
    add.focus();
    fireEvent.click(add);
    const dialog = screen.getByRole('dialog', { name: 'Add contact' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(within(dialog).getByLabelText('Name')).toHaveFocus();
    fireEvent.keyDown(document.activeElement as Element, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(add).toHaveFocus();
  });

  it('keeps Tab inside the dialog', async () => {
    serve({});
    await renderManager();
    fireEvent.click(button('Add contact'));
    const dialog = screen.getByRole('dialog', { name: 'Add contact' });
    const first = within(dialog).getByLabelText('Name');
    const last = within(dialog).getByRole('button', { name: 'Add contact' });
    last.focus();
    fireEvent.keyDown(last, { key: 'Tab' });
    expect(first).toHaveFocus();
    fireEvent.keyDown(first, { key: 'Tab', shiftKey: true });
    expect(last).toHaveFocus();
  });

  it('shows the server’s field errors next to their fields, and disables submit while saving', async () => {
    let answer: (value: { status: number; body: unknown }) => void = () => {};
    const pending = new Promise<{ status: number; body: unknown }>((resolve) => {
      answer = resolve;
    });
    const fetch = serve({ 'POST /api/contacts': pending });
    await renderManager();
    fireEvent.click(button('Add contact'));
    const dialog = screen.getByRole('dialog', { name: 'Add contact' });
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'Cy' } });
    fireEvent.change(within(dialog).getByLabelText(/^Phone/), { target: { value: '415 555' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add contact' }));
    const saving = within(dialog).getByRole('button', { name: 'Saving…' });
    expect(saving).toBeDisabled();
    expect(bodyOf(fetch.mock.calls[0])).toMatchObject({ name: 'Cy', phone: '415 555', tags: [] });
    await act(async () => {
      answer({
        status: 400,
        body: {
          ok: false,
          error: {
            code: 'VALIDATION',
            message: 'The number has too few digits',
            retryable: false,
            fields: { phone: 'The number has too few digits' },
          },
        },
      });
    });
    await settle();
    const phone = within(dialog).getByLabelText(/^Phone/);
    expect(phone).toHaveAttribute('aria-invalid', 'true');
    expect(phone).toHaveAccessibleDescription(
      expect.stringContaining('The number has too few digits'),
    );
    expect(phone).toHaveFocus();
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Check the highlighted fields.');
    expect(within(dialog).getByRole('button', { name: 'Add contact' })).toBeEnabled();
  });

  it('checks a missing phone before asking the server', async () => {
    const fetch = serve({});
    await renderManager();
    fireEvent.click(button('Add contact'));
    const dialog = screen.getByRole('dialog', { name: 'Add contact' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add contact' }));
    expect(within(dialog).getByText('Phone is required')).toBeInTheDocument();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('adds a contact, refreshes the list and says so', async () => {
    const cy = contact(3, { name: 'Cy' });
    const fetch = serve({
      'POST /api/contacts': { status: 201, body: { ok: true, data: cy } },
      'GET /api/contacts': listed({ ...LIST, items: [ADA, BEA, cy], total: 3 }),
    });
    await renderManager();
    fireEvent.click(button('Add contact'));
    const dialog = screen.getByRole('dialog', { name: 'Add contact' });
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'Cy' } });
    fireEvent.change(within(dialog).getByLabelText(/^Phone/), {
      target: { value: '415 555 0103' },
    });
    fireEvent.change(within(dialog).getByLabelText('Tags'), { target: { value: 'a, b' } });
    fireEvent.change(within(dialog).getByLabelText('Other fields'), {
      target: { value: 'plan: gold' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add contact' }));
    await settle();
    expect(bodyOf(fetch.mock.calls[0])).toEqual({
      name: 'Cy',
      phone: '415 555 0103',
      email: '',
      company: '',
      timezone: '',
      tags: ['a', 'b'],
      attributes: { plan: 'gold' },
    });
    expect(fetch.mock.calls[1]?.[0]).toBe('/api/contacts?sort=name&dir=asc');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByText('Cy')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Added Cy.');
  });

  it('edits a contact with only the changed phone and a one-way opt-out', async () => {
    const fetch = serve({
      'PATCH /api/contacts/1': { status: 200, body: { ok: true, data: ADA } },
      'GET /api/contacts': listed(),
    });
    await renderManager();
    const edit = button('Edit Ada Lovelace');
    fireEvent.click(edit);
    const dialog = screen.getByRole('dialog', { name: 'Edit contact' });
    expect(within(dialog).getByLabelText('Company')).toHaveValue('Engines');
    fireEvent.click(within(dialog).getByLabelText('Opted out of calls'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save changes' }));
    await settle();
    const patch = bodyOf(fetch.mock.calls[0]);
    expect(patch).toMatchObject({ name: 'Ada Lovelace', company: 'Engines', optedOut: true });
    expect(patch).not.toHaveProperty('phone');
    expect(patch).not.toHaveProperty('timezone');
    expect(edit).toHaveFocus();
  });

  it('shows an already opted-out contact as such, with no way back', async () => {
    serve({});
    await renderManager();
    fireEvent.click(button('Edit Bea'));
    const box = within(screen.getByRole('dialog')).getByLabelText('Opted out of calls');
    expect(box).toBeChecked();
    expect(box).toBeDisabled();
  });

  it('asks before deleting one contact, then deletes it', async () => {
    const fetch = serve({
      'DELETE /api/contacts/1': { status: 200, body: { ok: true, data: { id: 1 } } },
      'GET /api/contacts': listed({ ...LIST, items: [BEA], total: 1 }),
    });
    await renderManager();
    fireEvent.click(button('Delete Ada Lovelace'));
    const confirm = screen.getByRole('alertdialog', { name: 'Delete Ada Lovelace?' });
    expect(within(confirm).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    fireEvent.click(within(confirm).getByRole('button', { name: 'Delete contact' }));
    await settle();
    expect(fetch.mock.calls[0]?.[1]).toMatchObject({ method: 'DELETE' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.queryByText('Ada Lovelace')).toBeNull();
    expect(screen.getByRole('status')).toHaveTextContent('Deleted Ada Lovelace.');
    expect(button('Add contact')).toHaveFocus();
  });

  it('enables the bulk buttons with a selection, and opts out the selected contacts', async () => {
    const fetch = serve({
      'POST /api/contacts/bulk': {
        status: 200,
        body: { ok: true, data: { action: 'opt_out', affected: 2 } },
      },
      'GET /api/contacts': listed(),
    });
    await renderManager();
    expect(button('Delete selected')).toBeDisabled();
    expect(button('Opt out selected')).toBeDisabled();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select Ada Lovelace' }));
    expect(button('Delete selected')).toBeEnabled();
    expect(screen.getByText('1 selected')).toBeInTheDocument();
    const all = screen.getByRole('checkbox', { name: 'Select all contacts on this page' });
    expect((all as HTMLInputElement).indeterminate).toBe(true);
    fireEvent.click(all);
    expect(screen.getByText('2 selected')).toBeInTheDocument();
    fireEvent.click(button('Opt out selected'));
    const confirm = screen.getByRole('alertdialog', { name: 'Opt out 2 contacts?' });
    fireEvent.click(within(confirm).getByRole('button', { name: 'Opt out contacts' }));
    await settle();
    expect(bodyOf(fetch.mock.calls[0])).toEqual({ action: 'opt_out', ids: [1, 2] });
    expect(screen.getByRole('status')).toHaveTextContent('Opted out 2 contacts.');
    expect(button('Opt out selected')).toBeDisabled();
  });

  it('keeps the confirmation open with the error when a bulk delete fails', async () => {
    serve({
      'POST /api/contacts/bulk': {
        status: 400,
        body: {
          ok: false,
          error: {
            code: 'VALIDATION',
            message: 'At most 1000 contacts at a time',
            retryable: false,
          },
        },
      },
    });
    await renderManager();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select Bea' }));
    fireEvent.click(button('Delete selected'));
    const confirm = screen.getByRole('alertdialog', { name: 'Delete 1 contact?' });
    fireEvent.click(within(confirm).getByRole('button', { name: 'Delete contacts' }));
    await settle();
    expect(within(confirm).getByRole('alert')).toHaveTextContent('At most 1000 contacts at a time');
    fireEvent.keyDown(confirm, { key: 'Escape' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('shows the empty state with add and import when there are no contacts', async () => {
    serve({});
    await renderManager({ initial: { ...LIST, items: [], total: 0 } });
    expect(screen.getByRole('heading', { name: 'No contacts yet' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Import CSV' })).toHaveAttribute(
      'href',
      '/contacts/import',
    );
    expect(screen.getAllByRole('button', { name: 'Add contact' })).toHaveLength(2);
  });

  it('offers the next and first pages as links', async () => {
    serve({});
    await renderManager({
      initial: { ...LIST, nextCursor: 'abc' },
      query: { q: 'ada', sort: 'company', dir: 'desc', after: 'xyz' },
    });
    expect(screen.getByRole('link', { name: 'Next page' })).toHaveAttribute(
      'href',
      '?q=ada&sort=company&dir=desc&after=abc',
    );
    expect(screen.getByRole('link', { name: 'First page' })).toHaveAttribute(
      'href',
      '?q=ada&sort=company&dir=desc',
    );
    expect(screen.getByText('2 contacts match “ada”')).toBeInTheDocument();
  });
});
