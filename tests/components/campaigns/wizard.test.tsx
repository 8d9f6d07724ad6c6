// @vitest-environment jsdom
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { CampaignWizard } from '../../../src/components/campaigns/CampaignWizard';
import type { CampaignsApi } from '../../../src/components/campaigns/campaigns-api';
import type { ApiResult } from '../../../src/components/shared/api-client';
import type { ContactList } from '../../../src/lib/contacts/list-contacts';
import type { ContactView } from '../../../src/lib/contacts/types';
import { settle } from '../dom';

const person = (id: number, name: string): ContactView => ({
  id,
  name,
  phoneE164: `+1415555010${id}`,
  phoneRaw: null as unknown as string,
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

const PAGE: ContactList = {
  items: [person(1, 'Ada Lovelace'), person(2, 'Grace Hopper')],
  nextCursor: null,
  sort: 'name',
  dir: 'asc',
  total: 2,
};
const okay = <T,>(data: T): Promise<ApiResult<T>> => Promise.resolve({ ok: true, data });

function fakeApi(overrides: Partial<CampaignsApi> = {}) {
  const api = {
    contacts: vi.fn(() => okay(PAGE)),
    concurrency: vi.fn(() =>
      okay({ user: { limit: 2, inFlight: 0 }, system: { limit: 10, inFlight: 0 } }),
    ),
    queueStatistics: vi.fn(() => okay({ averageCallSeconds: 60 })),
    create: vi.fn(),
    bulkCall: vi.fn(() => okay({ id: 'c0ffee00-0000-4000-8000-000000000001' })),
    ...overrides,
  };
  return api as unknown as CampaignsApi & typeof api;
}

async function fillSettings() {
  fireEvent.change(screen.getByLabelText('Campaign name'), { target: { value: 'Spring calls' } });
  fireEvent.change(screen.getByLabelText('Voice agent ID'), { target: { value: 'agent-7' } });
}

describe('campaign wizard', () => {
  it('walks contacts → settings → review and creates a campaign of the chosen contacts', async () => {
    const api = fakeApi();
    const navigate = vi.fn();
    render(
      <CampaignWizard timeZone="America/New_York" region="US" api={api} navigate={navigate} />,
    );
    await settle();
    expect(
      screen.getByRole('heading', { level: 2, name: 'Step 1 of 3: Who to call' }),
    ).toBeInTheDocument();

    // Nothing chosen: the wizard says so instead of moving on.
    fireEvent.click(screen.getByRole('button', { name: 'Next: settings' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Select at least one contact');

    fireEvent.click(screen.getByRole('checkbox', { name: /Ada Lovelace/ }));
    expect(screen.getByText('1 selected')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Next: settings' }));
    expect(screen.getByRole('heading', { level: 2, name: 'Step 2 of 3: Settings' })).toHaveFocus();

    // Empty required fields are caught before any request, next to their fields.
    fireEvent.click(screen.getByRole('button', { name: 'Next: review' }));
    expect(screen.getByLabelText('Campaign name')).toHaveAccessibleDescription(
      'Give the campaign a name',
    );
    expect(screen.getByLabelText('Voice agent ID')).toHaveAccessibleDescription(
      'Choose the voice agent',
    );
    await fillSettings();
    fireEvent.click(screen.getByRole('button', { name: 'Next: review' }));
    await settle();

    const review = screen.getByRole('heading', {
      level: 2,
      name: 'Step 3 of 3: Review and create',
    });
    expect(review).toBeInTheDocument();
    expect(screen.getByText('1 contact')).toBeInTheDocument();
    // One call on two slots at 60 s a call.
    expect(document.querySelector('.review-duration')).toHaveTextContent(
      'about 1 minute of calling',
    );
    expect(document.querySelector('.review-first-call')?.textContent).toMatch(/day, .+ \d{4}/);

    await act(async () =>
      fireEvent.click(screen.getByRole('button', { name: 'Create and start' })),
    );
    expect(api.bulkCall).toHaveBeenCalledWith(
      expect.objectContaining({
        name: 'Spring calls',
        agentId: 'agent-7',
        contactIds: [1],
        start: true,
        timezone: 'America/New_York',
        window: { days: [1, 2, 3, 4, 5], startMinute: 540, endMinute: 1020 },
      }),
    );
    expect(navigate).toHaveBeenCalledWith('/campaigns/c0ffee00-0000-4000-8000-000000000001');
  });

  it('opens at step 2 with contacts chosen on the contacts page', async () => {
    render(
      <CampaignWizard
        timeZone="UTC"
        region="US"
        preselected={[4, 5, 6]}
        api={fakeApi()}
        navigate={vi.fn()}
      />,
    );
    await settle();
    expect(
      screen.getByRole('heading', { level: 2, name: 'Step 2 of 3: Settings' }),
    ).toBeInTheDocument();
    expect(screen.getByText(/Calling the 3 contacts you selected/)).toBeInTheDocument();
  });

  it('puts the server’s field errors next to their fields, back on step 2', async () => {
    const api = fakeApi({
      bulkCall: vi.fn(() =>
        Promise.resolve({
          ok: false as const,
          error: {
            code: 'VALIDATION' as const,
            message: 'Check the campaign settings',
            retryable: false,
            fields: {
              'window.days': 'Days run from 0 (Sunday) to 6 (Saturday)',
              name: 'Name taken',
            },
          },
        }),
      ),
    });
    const navigate = vi.fn();
    render(
      <CampaignWizard timeZone="UTC" region="US" preselected={[1]} api={api} navigate={navigate} />,
    );
    await settle();
    await fillSettings();
    fireEvent.click(screen.getByRole('button', { name: 'Next: review' }));
    await settle();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save as draft' })));
    expect(api.bulkCall).toHaveBeenCalledWith(expect.objectContaining({ start: false }));
    expect(navigate).not.toHaveBeenCalled();
    expect(
      screen.getByRole('heading', { level: 2, name: 'Step 2 of 3: Settings' }),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Campaign name')).toHaveAccessibleDescription('Name taken');
    const days = screen.getByRole('group', { name: 'Days it opens' });
    expect(within(days).getByText('Days run from 0 (Sunday) to 6 (Saturday)')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('Check the highlighted fields.');
  });

  it('offers a retry when creation fails for a reason retrying can fix', async () => {
    const bulkCall = vi
      .fn()
      .mockResolvedValueOnce({
        ok: false,
        error: { code: 'INTERNAL', message: 'x', retryable: true },
      })
      .mockResolvedValueOnce({ ok: true, data: { id: 'c0ffee00-0000-4000-8000-000000000002' } });
    const navigate = vi.fn();
    render(
      <CampaignWizard
        timeZone="UTC"
        region="US"
        preselected={[1]}
        api={fakeApi({ bulkCall })}
        navigate={navigate}
      />,
    );
    await settle();
    await fillSettings();
    fireEvent.click(screen.getByRole('button', { name: 'Next: review' }));
    await settle();
    await act(async () =>
      fireEvent.click(screen.getByRole('button', { name: 'Create and start' })),
    );
    expect(screen.getByRole('alert')).toHaveTextContent('The campaign was not created.');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Try again' })));
    expect(bulkCall).toHaveBeenCalledTimes(2);
    expect(navigate).toHaveBeenCalledWith('/campaigns/c0ffee00-0000-4000-8000-000000000002');
  });

  it('selects every contact at once with "select all", sending the whole workspace', async () => {
    const create = vi.fn(() => okay({ id: 'c0ffee00-0000-4000-8000-000000000003' }));
    const api = fakeApi({ create: create as unknown as CampaignsApi['create'] });
    render(<CampaignWizard timeZone="UTC" region="US" api={api} navigate={vi.fn()} />);
    await settle();
    fireEvent.click(screen.getByRole('button', { name: 'Select all 2 contacts' }));
    expect(screen.getByText('All 2 contacts selected')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Next: settings' }));
    await fillSettings();
    fireEvent.click(screen.getByRole('button', { name: 'Next: review' }));
    await settle();
    await act(async () =>
      fireEvent.click(screen.getByRole('button', { name: 'Create and start' })),
    );
    expect(create).toHaveBeenCalledWith(expect.objectContaining({ contacts: { all: true } }));
  });
});
