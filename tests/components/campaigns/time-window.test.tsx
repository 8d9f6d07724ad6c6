// @vitest-environment jsdom
import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { TimeWindowPicker } from '../../../src/components/campaigns/TimeWindowPicker';
import {
  describeWindow,
  explainMidnight,
  validateWindow,
  type WindowDraft,
} from '../../../src/components/campaigns/time-window';
import '../dom';

const draft = (over: Partial<WindowDraft> = {}): WindowDraft => ({
  days: [1, 2, 3, 4, 5],
  start: '09:00',
  end: '17:00',
  timezone: 'America/New_York',
  ...over,
});

describe('time window validation', () => {
  it('accepts an ordinary working-day window', () => {
    const r = validateWindow(draft());
    expect(r).toEqual({
      ok: true,
      window: { days: [1, 2, 3, 4, 5], startMinute: 540, endMinute: 1020 },
      timezone: 'America/New_York',
    });
  });

  it('accepts a window crossing midnight and keeps its end before its start', () => {
    const r = validateWindow(draft({ start: '22:00', end: '02:00', days: [5] }));
    expect(r.ok && r.window).toEqual({ days: [5], startMinute: 1320, endMinute: 120 });
  });

  it('reads an end of 00:00 as midnight, the end of the day', () => {
    const late = validateWindow(draft({ start: '18:00', end: '00:00' }));
    expect(late.ok && late.window.endMinute).toBe(1440);
    const allDay = validateWindow(draft({ start: '00:00', end: '00:00' }));
    expect(allDay.ok && allDay.window).toMatchObject({ startMinute: 0, endMinute: 1440 });
  });

  it('refuses no days, equal times, bad times and unknown zones, per field', () => {
    expect(validateWindow(draft({ days: [] }))).toEqual({
      ok: false,
      errors: { days: 'Pick at least one day' },
    });
    expect(validateWindow(draft({ start: '10:00', end: '10:00' }))).toEqual({
      ok: false,
      errors: { end: 'The last call time must differ from the first' },
    });
    const bad = validateWindow(draft({ start: '25:00', end: 'x', timezone: 'Mars/Olympus' }));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && Object.keys(bad.errors).sort()).toEqual(['end', 'start', 'timezone']);
  });

  it('describes windows, spelling out one that crosses midnight', () => {
    expect(describeWindow({ days: [1, 2, 3, 4, 5], startMinute: 540, endMinute: 1020 })).toBe(
      'Mon–Fri, 09:00–17:00',
    );
    expect(describeWindow({ days: [5], startMinute: 1320, endMinute: 120 })).toBe(
      'Fri, 22:00 → 02:00 the next day',
    );
    expect(explainMidnight({ days: [5], startMinute: 1320, endMinute: 120 })).toMatch(
      /starts? on Friday at 22:00 continue until 02:00 on Saturday/,
    );
    expect(explainMidnight({ days: [1], startMinute: 540, endMinute: 1020 })).toBeNull();
  });
});

function Harness({ initial, errors }: { initial: WindowDraft; errors?: Record<string, string> }) {
  const [value, setValue] = useState(initial);
  return <TimeWindowPicker value={value} onChange={setValue} errors={errors} />;
}

describe('TimeWindowPicker', () => {
  it('explains a midnight-crossing window as soon as one is entered', () => {
    render(<Harness initial={draft()} />);
    expect(screen.queryByRole('note')).toBeNull();
    fireEvent.change(screen.getByLabelText('First call'), { target: { value: '22:00' } });
    fireEvent.change(screen.getByLabelText('Last call'), { target: { value: '02:00' } });
    expect(screen.getByRole('note')).toHaveTextContent('This window crosses midnight');
  });

  it('toggles days from the keyboard-reachable checkboxes', () => {
    render(<Harness initial={draft()} />);
    const saturday = screen.getByRole('checkbox', { name: 'Sat' });
    expect(saturday).not.toBeChecked();
    fireEvent.click(saturday);
    expect(saturday).toBeChecked();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Mon' }));
    expect(screen.getByRole('checkbox', { name: 'Mon' })).not.toBeChecked();
  });

  it('shows each error next to its field and marks the field invalid', () => {
    render(
      <Harness
        initial={draft()}
        errors={{ end: 'The last call time must differ from the first', timezone: 'Unknown zone' }}
      />,
    );
    const end = screen.getByLabelText('Last call');
    expect(end).toHaveAttribute('aria-invalid', 'true');
    expect(end).toHaveAccessibleDescription('The last call time must differ from the first');
    expect(screen.getByLabelText('Time zone')).toHaveAccessibleDescription('Unknown zone');
    expect(screen.getByLabelText('First call')).not.toHaveAttribute('aria-invalid');
  });
});
