// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CampaignProgressBar } from '../../../src/components/campaigns/CampaignProgressBar';
import { actionsFor, STATUS_DISPLAY } from '../../../src/components/campaigns/campaign-status';
import { doneOf, progressOf } from '../../../src/components/campaigns/progress-math';
import { StatusBadge } from '../../../src/components/campaigns/StatusBadge';
import { CAMPAIGN_STATUSES } from '../../../src/lib/db/schema';
import '../dom';

describe('status badge', () => {
  it.each([
    ['draft', 'tone-neutral', 'Draft'],
    ['scheduled', 'tone-info', 'Scheduled'],
    ['running', 'tone-live', 'Running'],
    ['paused', 'tone-warn', 'Paused'],
    ['completed', 'tone-ok', 'Completed'],
    ['cancelled', 'tone-danger', 'Cancelled'],
  ] as const)('shows %s as %s with the word %s', (status, tone, label) => {
    render(<StatusBadge status={status} />);
    const badge = screen.getByText(label);
    expect(badge).toHaveClass('status-badge', tone);
    expect(badge).toHaveAttribute('data-status', status);
  });

  it('gives every status its own colour, so no two read alike', () => {
    const tones = CAMPAIGN_STATUSES.map((s) => STATUS_DISPLAY[s].tone);
    // running and completed are both "good", but running pulses: its tone differs.
    expect(new Set(tones).size).toBe(CAMPAIGN_STATUSES.length);
  });

  it('offers only the actions the engine accepts in each status', () => {
    expect(actionsFor('draft')).toEqual(['start', 'duplicate', 'delete']);
    expect(actionsFor('running')).toEqual(['pause', 'cancel', 'duplicate']);
    expect(actionsFor('paused')).toEqual(['resume', 'cancel', 'duplicate', 'delete']);
    expect(actionsFor('completed')).toEqual(['duplicate', 'delete']);
    expect(actionsFor('cancelled')).not.toContain('resume');
  });
});

describe('progress bar math', () => {
  const counts = fc.record({
    total: fc.integer({ min: 0, max: 1_000_000 }),
    done: fc.integer({ min: 0, max: 1_000_000 }),
  });

  it('is a whole percentage from 0 to 100, and 100 only when every call is done', () => {
    fc.assert(
      fc.property(counts, ({ total, done }) => {
        const p = progressOf({ total, done });
        expect(Number.isInteger(p.percent)).toBe(true);
        expect(p.percent).toBeGreaterThanOrEqual(0);
        expect(p.percent).toBeLessThanOrEqual(100);
        expect(p.percent === 100).toBe(total > 0 && done >= total);
        expect(p.done).toBeLessThanOrEqual(p.total);
      }),
    );
  });

  it('never moves backwards as calls finish', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        (total, a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          expect(progressOf({ total, done: lo }).percent).toBeLessThanOrEqual(
            progressOf({ total, done: hi }).percent,
          );
        },
      ),
    );
  });

  it('handles nonsense input as an empty bar', () => {
    expect(progressOf({ total: 0, done: 5 }).percent).toBe(0);
    expect(progressOf({ total: Number.NaN, done: 1 }).percent).toBe(0);
    expect(progressOf({ total: 10, done: -3 }).percent).toBe(0);
    expect(progressOf({ total: 3, done: 1 }).percent).toBe(33);
    expect(progressOf({ total: 1000, done: 999 }).percent).toBe(99);
  });

  it('counts every final state as done', () => {
    expect(doneOf({ completed: 3, failed: 2, cancelled: 1, skipped: 4 })).toBe(10);
  });

  it('renders an accessible bar with the figures in words', () => {
    render(<CampaignProgressBar total={8} done={2} />);
    const bar = screen.getByRole('progressbar', { name: 'Progress' });
    expect(bar).toHaveAttribute('aria-valuenow', '25');
    expect(bar).toHaveAttribute('aria-valuetext', '25% · 2 of 8 calls done');
  });
});
