import type { SimulatorFaults } from './types';

export const DEFAULT_FAULTS: Readonly<SimulatorFaults> = {
  latencyMs: 0,
  rateLimited: 0,
  retryAfterSeconds: 1,
  serverErrors: 0,
  malformedJson: 0,
  envelope: 'standard',
  down: false,
  hangMs: 0,
};

const NUMBER_FIELDS = [
  'latencyMs',
  'rateLimited',
  'retryAfterSeconds',
  'serverErrors',
  'malformedJson',
  'hangMs',
] as const;

/**
 * Checks a fault patch (from code or the control endpoint's JSON body).
 * Returns an error message, or the patch narrowed to known fields.
 */
export function parseFaults(input: unknown): Partial<SimulatorFaults> | string {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return 'faults must be a JSON object';
  const patch: Partial<SimulatorFaults> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if ((NUMBER_FIELDS as readonly string[]).includes(key)) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
        return `${key} must be a whole number ≥ 0`;
      patch[key as (typeof NUMBER_FIELDS)[number]] = value;
    } else if (key === 'envelope') {
      if (value !== 'standard' && value !== 'quirky') return 'envelope must be standard or quirky';
      patch.envelope = value;
    } else if (key === 'down') {
      if (typeof value !== 'boolean') return 'down must be a boolean';
      patch.down = value;
    } else {
      return `unknown fault ${key}`;
    }
  }
  return patch;
}

export type CountedFault = 'rateLimited' | 'serverErrors' | 'malformedJson';

/**
 * Count-based faults are served one after another: rateLimited: 2 and
 * serverErrors: 1 means two 429s, then one 500. Each request uses up one.
 */
export function takeCountedFault(faults: SimulatorFaults): CountedFault | undefined {
  for (const kind of ['rateLimited', 'serverErrors', 'malformedJson'] as const) {
    if (faults[kind] > 0) {
      faults[kind] -= 1;
      return kind;
    }
  }
  return undefined;
}
