/**
 * The campaign settings form's state and its translation to the API's body,
 * checked the way the server checks them so most mistakes show before a
 * round trip; the server's VALIDATION fields map back onto the same keys.
 */
import { instantAtWall } from '../../lib/campaigns/zoned-time';
import { validateWindow, type WindowDraft } from './time-window';

export interface SettingsDraft {
  name: string;
  agentId: string;
  provider: 'simulated' | 'bolna';
  fromNumber: string;
  window: WindowDraft;
  useContactTimezone: boolean;
  /** datetime-local text in the campaign's zone; '' = as soon as the window allows. */
  startAt: string;
  maxAttempts: string;
  retryDelayMinutes: string;
}

/** Form keys that can carry an error message. */
export type SettingsField =
  | 'name'
  | 'agentId'
  | 'provider'
  | 'fromNumber'
  | 'days'
  | 'start'
  | 'end'
  | 'timezone'
  | 'useContactTimezone'
  | 'startAt'
  | 'maxAttempts'
  | 'retryDelayMinutes'
  | 'contacts';
export type SettingsErrors = Partial<Record<SettingsField, string>>;

export function defaultDraft(timezone: string): SettingsDraft {
  return {
    name: '',
    agentId: '',
    provider: 'simulated',
    fromNumber: '',
    window: { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', timezone },
    useContactTimezone: true,
    startAt: '',
    maxAttempts: '3',
    retryDelayMinutes: '60',
  };
}

export interface SettingsBody {
  name: string;
  agentId: string;
  provider: 'simulated' | 'bolna';
  fromNumber: string | null;
  window: { days: number[]; startMinute: number; endMinute: number };
  timezone: string;
  useContactTimezone: boolean;
  startAt?: string;
  maxAttempts: number;
  retryDelayMinutes: number;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** "2026-05-04T09:30" read in `timeZone` → the instant; null when not such a text. */
export function localToInstant(text: string, timeZone: string): Date | null {
  const m = LOCAL.exec(text);
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  return new Date(instantAtWall(timeZone, wall));
}

const wholeIn = (text: string, min: number, max: number) => {
  const n = Number(text);
  return /^\d+$/.test(text.trim()) && n >= min && n <= max ? n : null;
};

export function validateSettings(
  draft: SettingsDraft,
): { ok: true; body: SettingsBody } | { ok: false; errors: SettingsErrors } {
  const errors: SettingsErrors = {};
  if (!draft.name.trim()) errors.name = 'Give the campaign a name';
  else if (draft.name.trim().length > 120) errors.name = 'At most 120 characters';
  if (!draft.agentId.trim()) errors.agentId = 'Choose the voice agent';
  const from = draft.fromNumber.replace(/[\s().-]/g, '');
  if (from && !E164.test(from)) errors.fromNumber = 'Use an E.164 number such as +14155550100';
  const window = validateWindow(draft.window);
  if (!window.ok) Object.assign(errors, window.errors);
  let startAt: Date | null = null;
  if (draft.startAt) {
    startAt = window.ok ? localToInstant(draft.startAt, window.timezone) : null;
    if (window.ok && !startAt) errors.startAt = 'Enter a date and time';
  }
  const attempts = wholeIn(draft.maxAttempts, 1, 10);
  if (attempts === null) errors.maxAttempts = 'From 1 to 10 attempts';
  const delay = wholeIn(draft.retryDelayMinutes, 1, 7 * 24 * 60);
  if (delay === null) errors.retryDelayMinutes = 'From 1 minute to 7 days (10080 minutes)';
  if (!window.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    body: {
      name: draft.name.trim(),
      agentId: draft.agentId.trim(),
      provider: draft.provider,
      fromNumber: from || null,
      window: window.window,
      timezone: window.timezone,
      useContactTimezone: draft.useContactTimezone,
      ...(startAt ? { startAt: startAt.toISOString() } : {}),
      maxAttempts: attempts ?? 3,
      retryDelayMinutes: delay ?? 60,
    },
  };
}

const SERVER_KEYS: Record<string, SettingsField> = {
  'window.days': 'days',
  'window.startMinute': 'start',
  'window.endMinute': 'end',
  window: 'end',
  'contacts.ids': 'contacts',
  contactIds: 'contacts',
};

/** The server's VALIDATION `fields` (dotted paths) → the form's keys. */
export function fromServerFields(fields: Record<string, string> | undefined): SettingsErrors {
  const errors: SettingsErrors = {};
  for (const [path, message] of Object.entries(fields ?? {})) {
    const key =
      SERVER_KEYS[path] ??
      (path.startsWith('window.days') ? 'days' : path.startsWith('contacts') ? 'contacts' : path);
    (errors as Record<string, string>)[key] ??= message;
  }
  return errors;
}

/** upload-csv refuses bad settings as "Campaign settings: window.days: Pick at least one day". */
export function fromUploadMessage(message: string): SettingsErrors | null {
  const m = /^Campaign settings: ([\w.]+): (.+)$/.exec(message);
  return m?.[1] && m[2] ? fromServerFields({ [m[1]]: m[2] }) : null;
}

/** A campaign view's settings back in the form (editing). */
export function draftFrom(campaign: {
  name: string;
  agentId: string;
  provider: 'simulated' | 'bolna';
  fromNumber: string | null;
  window: { days: number[]; startMinute: number; endMinute: number };
  timezone: string;
  useContactTimezone: boolean;
  maxAttempts: number;
  retryDelayMinutes: number;
}): SettingsDraft {
  const hhmm = (m: number) =>
    m === 1440
      ? '00:00'
      : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return {
    name: campaign.name,
    agentId: campaign.agentId,
    provider: campaign.provider,
    fromNumber: campaign.fromNumber ?? '',
    window: {
      days: campaign.window.days,
      start: hhmm(campaign.window.startMinute),
      end: hhmm(campaign.window.endMinute),
      timezone: campaign.timezone,
    },
    useContactTimezone: campaign.useContactTimezone,
    startAt: '',
    maxAttempts: String(campaign.maxAttempts),
    retryDelayMinutes: String(campaign.retryDelayMinutes),
  };
}
