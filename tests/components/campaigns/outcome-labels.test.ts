/**
 * Outcomes read as words on the campaign pages: the stored keys (no_answer,
 * not Bolna's no-answer) have labels, and one without a label is made readable
 * rather than shown raw.
 */
import { describe, expect, it } from 'vitest';
import { outcomeLabel } from '../../../src/components/campaigns/outcome-labels';
import { CALL_OUTCOMES } from '../../../src/lib/calls/providers/statuses';

describe('outcomeLabel', () => {
  it('labels every outcome a provider status gives, by its stored key', () => {
    expect(Object.fromEntries(CALL_OUTCOMES.map((o) => [o, outcomeLabel(o)]))).toEqual({
      completed: 'Answered',
      no_answer: 'No answer',
      busy: 'Busy',
      failed: 'Failed',
      canceled: 'Cancelled by the provider',
      voicemail: 'Voicemail',
      balance_low: 'Provider balance low',
    });
  });

  it('makes an unlisted key readable', () => {
    expect(outcomeLabel('some_new_reason')).toBe('Some new reason');
    expect(outcomeLabel('dispatcher-stopped')).toBe('Dispatcher stopped');
  });
});
