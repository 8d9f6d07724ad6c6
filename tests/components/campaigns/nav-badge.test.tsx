// @vitest-environment jsdom
import { act, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import '../dom';

type OnEvent = (type: string, data: unknown) => void;
const listeners: OnEvent[] = [];
vi.mock('../../../src/components/live/useLiveEvents', () => ({
  useLiveEvents: ({ onEvent }: { onEvent: OnEvent }) => {
    listeners.push(onEvent);
    return { state: 'live' };
  },
}));

const { NavBadge } = await import('../../../src/components/campaigns/NavBadge');
const emit = (type: string, data: unknown) =>
  act(() => {
    for (const listener of listeners) listener(type, data);
  });

describe('NavBadge', () => {
  it('counts the running campaigns from the stream’s opening snapshot, then follows status changes', () => {
    const { container } = render(<NavBadge />);
    const badge = () => container.querySelector('.nav-badge') as HTMLElement;
    expect(badge().hidden).toBe(true);

    // The opening snapshot: progress of every running campaign.
    emit('campaign.progress', { campaignId: 'c1', status: 'running', total: 10 });
    emit('campaign.progress', { campaignId: 'c2', status: 'running', total: 5 });
    emit('campaign.progress', { campaignId: 'c2', status: 'running', total: 5 });
    expect(badge().hidden).toBe(false);
    expect(badge()).toHaveTextContent('2 running');

    emit('campaign.status', { id: 'c1', status: 'completed' });
    expect(badge()).toHaveTextContent('1 running');
    emit('campaign.status', { id: 'c2', status: 'paused' });
    expect(badge().hidden).toBe(true);
    emit('import.progress', { id: 'i1', status: 'running' });
    expect(badge().hidden).toBe(true);
    expect(screen.queryByText(/running/)).not.toBeVisible();
  });
});
