// @vitest-environment jsdom
import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ContactsManager, callHref } from '../../../src/components/contacts/ContactsManager';
import type { ContactView } from '../../../src/lib/contacts/types';
import { settle } from '../dom';

const person = (id: number, name: string): ContactView => ({
  id,
  name,
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
});

afterEach(() => vi.unstubAllGlobals());

describe('"Call selected" on the contacts list', () => {
  it('opens the campaign wizard with the selected contacts', async () => {
    const assign = vi.fn();
    vi.stubGlobal('location', { ...window.location, assign });
    render(
      <ContactsManager
        initial={{
          items: [person(3, 'Ada'), person(8, 'Bea'), person(9, 'Cy')],
          nextCursor: null,
          sort: 'name',
          dir: 'asc',
          total: 3,
        }}
        query={{ q: '', sort: 'name', dir: 'asc', after: null }}
        region="US"
        timeZone="UTC"
      />,
    );
    await settle();
    const call = screen.getByRole('button', { name: 'Call selected' });
    expect(call).toBeDisabled();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select Ada' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select Cy' }));
    expect(call).toBeEnabled();
    fireEvent.click(call);
    expect(assign).toHaveBeenCalledWith('/campaigns/new?contacts=3,9');
  });

  it('builds the wizard link from ids only', () => {
    expect(callHref([1, 22, 333])).toBe('/campaigns/new?contacts=1,22,333');
  });
});
