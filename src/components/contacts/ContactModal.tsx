import { type SubmitEvent, useId, useMemo, useRef, useState } from 'react';
import type { CreateContactInput, UpdateContactInput } from '../../lib/contacts/schemas';
import type { ContactView } from '../../lib/contacts/types';
import type { ContactsApi } from './contacts-api';
import { Dialog } from './Dialog';

export interface ContactModalProps {
  /** The contact to edit, or null to add one. */
  contact: ContactView | null;
  api: ContactsApi;
  onSaved: (contact: ContactView) => void;
  onClose: () => void;
  returnFocus?: () => HTMLElement | null;
}

type FieldName = 'name' | 'phone' | 'email' | 'company' | 'timezone' | 'tags' | 'attributes';
const FIELD_ORDER: FieldName[] = [
  'name',
  'phone',
  'email',
  'company',
  'timezone',
  'tags',
  'attributes',
];

interface Values {
  name: string;
  phone: string;
  email: string;
  company: string;
  timezone: string;
  tags: string;
  attributes: string;
  optOut: boolean;
}

function initialValues(contact: ContactView | null): Values {
  return {
    name: contact?.name ?? '',
    phone: contact?.phoneE164 ?? '',
    email: contact?.email ?? '',
    company: contact?.company ?? '',
    timezone: contact?.timezone ?? '',
    tags: contact?.tags.join(', ') ?? '',
    attributes: Object.entries(contact?.attributes ?? {})
      .map(([key, value]) => `${key}: ${value}`)
      .join('\n'),
    optOut: Boolean(contact?.optedOutAt),
  };
}

/** "plan: gold" lines → { plan: "gold" }, or the first line that isn't one. */
function parseAttributes(
  text: string,
): { ok: true; map: Record<string, string> } | { ok: false; message: string } {
  const map: Record<string, string> = {};
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (!line.trim()) continue;
    const colon = line.indexOf(':');
    const key = colon === -1 ? '' : line.slice(0, colon).trim();
    if (!key) return { ok: false, message: `Line ${index + 1}: write it as "name: value"` };
    map[key] = line.slice(colon + 1).trim();
  }
  return { ok: true, map };
}

const splitTags = (text: string) =>
  text
    .split(/[,;]/)
    .map((t) => t.trim())
    .filter(Boolean);

let zones: string[] | undefined;
const timeZones = () => {
  zones ??= Intl.supportedValuesOf('timeZone');
  return zones;
};

/** Add or edit a contact in a modal form; the server's field errors show next to their fields. */
export function ContactModal({ contact, api, onSaved, onClose, returnFocus }: ContactModalProps) {
  const [values, setValues] = useState(() => initialValues(contact));
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const id = useId();
  const original = useMemo(() => initialValues(contact), [contact]);

  const set = (name: keyof Values) => (event: { target: { value: string; checked?: boolean } }) =>
    setValues((v) => ({
      ...v,
      [name]: name === 'optOut' ? Boolean(event.target.checked) : event.target.value,
    }));

  const showErrors = (fields: Partial<Record<string, string>>, message: string | null) => {
    const known: Partial<Record<FieldName, string>> = {};
    for (const name of FIELD_ORDER) if (fields[name]) known[name] = fields[name];
    setErrors(known);
    const first = FIELD_ORDER.find((name) => known[name]);
    setFormError(first ? 'Check the highlighted fields.' : message);
    if (first) form.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
  };

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (saving) return;
    const attributes = parseAttributes(values.attributes);
    if (!values.phone.trim() || !attributes.ok) {
      showErrors(
        {
          phone: values.phone.trim() ? undefined : 'Phone is required',
          attributes: attributes.ok ? undefined : attributes.message,
        },
        null,
      );
      return;
    }
    setSaving(true);
    setFormError(null);
    const fields = {
      name: values.name,
      email: values.email,
      company: values.company,
      tags: splitTags(values.tags),
      attributes: attributes.map,
    };
    let result: Awaited<ReturnType<ContactsApi['create']>>;
    if (contact) {
      const patch: UpdateContactInput = { ...fields };
      if (values.phone !== original.phone) patch.phone = values.phone;
      if (values.timezone !== original.timezone) patch.timezone = values.timezone;
      if (values.optOut && !contact.optedOutAt) patch.optedOut = true;
      result = await api.update(contact.id, patch);
    } else {
      const input: CreateContactInput = {
        ...fields,
        phone: values.phone,
        timezone: values.timezone,
      };
      result = await api.create(input);
    }
    if (result.ok) {
      onSaved(result.data);
      return;
    }
    setSaving(false);
    showErrors(result.error.fields ?? {}, result.error.message);
  };

  const field = (name: FieldName, label: string, hint?: string) => {
    const inputId = `${id}-${name}`;
    const describedBy = [hint && `${inputId}-hint`, errors[name] && `${inputId}-error`]
      .filter(Boolean)
      .join(' ');
    const common = {
      id: inputId,
      name,
      value: values[name],
      onChange: set(name),
      'aria-invalid': errors[name] ? true : undefined,
      'aria-describedby': describedBy || undefined,
    };
    return (
      <div className={`field${errors[name] ? ' has-error' : ''}`}>
        <label htmlFor={inputId}>{label}</label>
        {name === 'attributes' ? (
          <textarea {...common} rows={3} spellCheck={false} />
        ) : (
          <input
            {...common}
            type={name === 'email' ? 'email' : name === 'phone' ? 'tel' : 'text'}
            autoComplete={name === 'phone' ? 'tel' : name === 'email' ? 'email' : 'off'}
            required={name === 'phone'}
            list={name === 'timezone' ? `${id}-zones` : undefined}
            data-autofocus={name === 'name' ? true : undefined}
          />
        )}
        {hint && (
          <p id={`${inputId}-hint`} className="field-hint">
            {hint}
          </p>
        )}
        {errors[name] && (
          <p id={`${inputId}-error`} className="field-error">
            {errors[name]}
          </p>
        )}
      </div>
    );
  };

  return (
    <Dialog
      title={contact ? 'Edit contact' : 'Add contact'}
      onClose={onClose}
      closable={!saving}
      returnFocus={returnFocus}
    >
      <form ref={form} className="contact-form" onSubmit={submit} noValidate>
        {formError && (
          <p className="alert error" role="alert">
            {formError}
          </p>
        )}
        <div className="contact-form-grid">
          {field('name', 'Name')}
          {field(
            'phone',
            'Phone (required)',
            'Without a country code, the workspace’s default region is assumed.',
          )}
          {field('email', 'Email')}
          {field('company', 'Company')}
          {field('timezone', 'Time zone', 'Leave blank to detect it from the phone number.')}
          {field('tags', 'Tags', 'Separate with commas.')}
        </div>
        {field('attributes', 'Other fields', 'One per line, as “name: value”.')}
        <datalist id={`${id}-zones`}>
          {timeZones().map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
        {contact && (
          <div className="field checkbox-field">
            <label>
              <input
                type="checkbox"
                name="optOut"
                checked={values.optOut}
                disabled={Boolean(contact.optedOutAt)}
                onChange={set('optOut')}
              />{' '}
              Opted out of calls
            </label>
            <p className="field-hint">
              {contact.optedOutAt
                ? 'This contact opted out and will never be called.'
                : 'Opting out is permanent: the contact will never be called again.'}
            </p>
          </div>
        )}
        <div className="modal-actions">
          <button type="button" className="button secondary" onClick={onClose} disabled={saving}>
            Cancel
          </button>
          <button type="submit" className="button" disabled={saving}>
            {saving ? 'Saving…' : contact ? 'Save changes' : 'Add contact'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
