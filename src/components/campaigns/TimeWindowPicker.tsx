import { useId, useMemo } from 'react';
import { errorProps, FieldError } from './FieldError';
import { DAY_NAMES, explainMidnight, validateWindow, type WindowDraft } from './time-window';

export interface TimeWindowPickerProps {
  value: WindowDraft;
  onChange: (next: WindowDraft) => void;
  /** Errors from the form's last check or the server, by field. */
  errors?: Partial<Record<'days' | 'start' | 'end' | 'timezone', string>>;
}

function zones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
}

/** Days, first and last call time and zone; explains a window that runs past midnight. */
export function TimeWindowPicker({ value, onChange, errors = {} }: TimeWindowPickerProps) {
  const id = useId();
  const zoneList = useMemo(() => {
    const list = zones();
    return list.includes(value.timezone) ? list : [value.timezone, ...list];
  }, [value.timezone]);
  const checked = validateWindow(value);
  const midnight = checked.ok ? explainMidnight(checked.window) : null;
  const toggleDay = (day: number) =>
    onChange({
      ...value,
      days: value.days.includes(day)
        ? value.days.filter((d) => d !== day)
        : [...value.days, day].sort((a, b) => a - b),
    });
  return (
    <fieldset className="time-window">
      <legend>Calling window</legend>
      <fieldset className="day-picker" aria-describedby={errors.days ? `${id}-days` : undefined}>
        <legend>Days it opens</legend>
        {DAY_NAMES.map((name, day) => (
          <label key={name} className="day-choice">
            <input
              type="checkbox"
              name="days"
              value={day}
              checked={value.days.includes(day)}
              onChange={() => toggleDay(day)}
            />
            {name}
          </label>
        ))}
        <FieldError id={`${id}-days`} message={errors.days} />
      </fieldset>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-start`}>First call</label>
          <input
            id={`${id}-start`}
            name="start"
            type="time"
            value={value.start}
            onChange={(e) => onChange({ ...value, start: e.target.value })}
            {...errorProps(`${id}-start-error`, errors.start)}
          />
          <FieldError id={`${id}-start-error`} message={errors.start} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-end`}>Last call</label>
          <input
            id={`${id}-end`}
            name="end"
            type="time"
            value={value.end}
            onChange={(e) => onChange({ ...value, end: e.target.value })}
            {...errorProps(`${id}-end-error`, errors.end)}
          />
          <FieldError id={`${id}-end-error`} message={errors.end} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-zone`}>Time zone</label>
          <select
            id={`${id}-zone`}
            name="timezone"
            value={value.timezone}
            onChange={(e) => onChange({ ...value, timezone: e.target.value })}
            {...errorProps(`${id}-zone-error`, errors.timezone)}
          >
            {zoneList.map((z) => (
              <option key={z} value={z}>
                {z.replaceAll('_', ' ')}
              </option>
            ))}
          </select>
          <FieldError id={`${id}-zone-error`} message={errors.timezone} />
        </div>
      </div>
      {midnight && (
        <p className="alert info midnight-note" role="note">
          {midnight}
        </p>
      )}
    </fieldset>
  );
}
