// @vitest-environment jsdom
/**
 * The campaign page's tables: the queue says which attempt each call is on
 * and how a retried call's last one ended; the history names outcomes in
 * words and links only https recordings.
 */
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CallHistoryTable } from '../../../src/components/campaigns/CallHistoryTable';
import { QueueTable } from '../../../src/components/campaigns/QueueTable';
import type { CallHistoryRow } from '../../../src/lib/campaigns/list-call-history';
import type { WaitingCall } from '../../../src/lib/campaigns/list-waiting-calls';
import '../dom';

const waiting = (over: Partial<WaitingCall>): WaitingCall => ({
  id: 1,
  contactName: 'Dana Reyes',
  phoneE164: '+15550100001',
  status: 'queued',
  attempt: 0,
  lastOutcome: null,
  position: 1,
  scheduledAt: '2026-06-10T12:00:00.000Z',
  estimatedWaitSeconds: 0,
  ...over,
});

describe('QueueTable', () => {
  it('gives a retried call its next attempt and last outcome, a call on the line its current one', () => {
    render(
      <QueueTable
        timeZone="UTC"
        rows={[
          waiting({ id: 1, status: 'in_progress', attempt: 1, position: null }),
          waiting({ id: 2, status: 'dispatching', attempt: 2, position: null }),
          waiting({ id: 3, attempt: 1, lastOutcome: 'no_answer', position: 1 }),
          waiting({ id: 4, attempt: 0, position: 2 }),
        ]}
      />,
    );
    const rows = within(screen.getByRole('table')).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('On the call');
    expect(rows[0]).not.toHaveTextContent('attempt');
    expect(rows[1]).toHaveTextContent('Dialling (attempt 2)');
    expect(rows[2]).toHaveTextContent('Waiting (attempt 2; last: No answer)');
    expect(rows[3]).toHaveTextContent('Waiting');
    expect(rows[3]).not.toHaveTextContent('attempt');
  });
});

describe('CallHistoryTable', () => {
  it('names outcomes in words', () => {
    const row: CallHistoryRow = {
      id: 1,
      contactName: 'Dana Reyes',
      phoneE164: '+15550100001',
      status: 'failed',
      outcome: 'no_answer',
      attempt: 3,
      durationSeconds: null,
      dialledAt: '2026-06-10T12:00:00.000Z',
      finishedAt: '2026-06-10T12:01:00.000Z',
      lastError: null,
      recordingUrl: null,
      transcript: null,
    };
    render(<CallHistoryTable rows={[row]} timeZone="UTC" />);
    expect(screen.getByRole('table')).toHaveTextContent('No answer');
    expect(screen.getByRole('table')).not.toHaveTextContent('no_answer');
  });
});
