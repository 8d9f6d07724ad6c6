import type { ImportMode } from '../../../lib/contacts/types';

export interface ModeChoiceProps {
  mode: ImportMode;
  disabled: boolean;
  onChange: (mode: ImportMode) => void;
}

const CHOICES: { mode: ImportMode; label: string }[] = [
  { mode: 'skip', label: 'Skip contacts that already exist' },
  { mode: 'update', label: 'Update existing contacts' },
];

/** What to do with a row whose phone number is already a contact. */
export function ModeChoice({ mode, disabled, onChange }: ModeChoiceProps) {
  return (
    <fieldset className="choices csv-import-mode" disabled={disabled}>
      <legend>When a phone number is already in your contacts</legend>
      {CHOICES.map((choice) => (
        <label key={choice.mode}>
          <input
            type="radio"
            name="mode"
            value={choice.mode}
            checked={mode === choice.mode}
            onChange={() => onChange(choice.mode)}
          />
          {choice.label}
        </label>
      ))}
    </fieldset>
  );
}
