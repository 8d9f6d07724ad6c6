import { useId } from 'react';
import { errorProps, FieldError } from './FieldError';
import type { SettingsDraft, SettingsErrors } from './settings-draft';
import { TimeWindowPicker } from './TimeWindowPicker';

export interface SettingsFormProps {
  value: SettingsDraft;
  onChange: (next: SettingsDraft) => void;
  errors: SettingsErrors;
  /** Editing an existing campaign: its start date can't change. */
  editing?: boolean;
}

/** Name, agent, number, window, start and retries: shared by the wizard and the edit page. */
export function SettingsForm({ value, onChange, errors, editing = false }: SettingsFormProps) {
  const id = useId();
  const set = <K extends keyof SettingsDraft>(key: K, v: SettingsDraft[K]) =>
    onChange({ ...value, [key]: v });
  const text = (key: 'name' | 'agentId' | 'fromNumber' | 'maxAttempts' | 'retryDelayMinutes') => ({
    id: `${id}-${key}`,
    name: key,
    value: value[key],
    onChange: (e: { target: { value: string } }) => set(key, e.target.value),
    ...errorProps(`${id}-${key}-error`, errors[key]),
  });
  return (
    <div className="settings-form">
      <div className="field">
        <label htmlFor={`${id}-name`}>Campaign name</label>
        <input {...text('name')} className="input" maxLength={120} autoComplete="off" />
        <FieldError id={`${id}-name-error`} message={errors.name} />
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-agentId`}>Voice agent ID</label>
          <input {...text('agentId')} className="input" autoComplete="off" spellCheck={false} />
          <FieldError id={`${id}-agentId-error`} message={errors.agentId} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-provider`}>Provider</label>
          <select
            id={`${id}-provider`}
            name="provider"
            value={value.provider}
            onChange={(e) => set('provider', e.target.value as SettingsDraft['provider'])}
            {...errorProps(`${id}-provider-error`, errors.provider)}
          >
            <option value="simulated">Simulator (demo, no real calls)</option>
            <option value="bolna">Bolna</option>
          </select>
          <FieldError id={`${id}-provider-error`} message={errors.provider} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-fromNumber`}>From number (optional)</label>
          <input
            {...text('fromNumber')}
            className="input"
            type="tel"
            placeholder="+14155550100"
            autoComplete="off"
          />
          <FieldError id={`${id}-fromNumber-error`} message={errors.fromNumber} />
        </div>
      </div>
      <TimeWindowPicker
        value={value.window}
        onChange={(w) => set('window', w)}
        errors={{
          days: errors.days,
          start: errors.start,
          end: errors.end,
          timezone: errors.timezone,
        }}
      />
      <label className="checkbox">
        <input
          type="checkbox"
          name="useContactTimezone"
          checked={value.useContactTimezone}
          onChange={(e) => set('useContactTimezone', e.target.checked)}
        />
        Use each contact’s own time zone when known (the window’s zone otherwise)
      </label>
      <div className="field-row">
        {!editing && (
          <div className="field">
            <label htmlFor={`${id}-startAt`}>Start (optional, in the window’s zone)</label>
            <input
              id={`${id}-startAt`}
              name="startAt"
              type="datetime-local"
              value={value.startAt}
              onChange={(e) => set('startAt', e.target.value)}
              {...errorProps(`${id}-startAt-error`, errors.startAt)}
            />
            <FieldError id={`${id}-startAt-error`} message={errors.startAt} />
          </div>
        )}
        <div className="field">
          <label htmlFor={`${id}-maxAttempts`}>Attempts per contact</label>
          <input {...text('maxAttempts')} className="input" type="number" min={1} max={10} />
          <FieldError id={`${id}-maxAttempts-error`} message={errors.maxAttempts} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-retryDelayMinutes`}>Minutes between attempts</label>
          <input
            {...text('retryDelayMinutes')}
            className="input"
            type="number"
            min={1}
            max={10080}
          />
          <FieldError id={`${id}-retryDelayMinutes-error`} message={errors.retryDelayMinutes} />
        </div>
      </div>
    </div>
  );
}
