import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCtDateTime } from '../../../src/lib/sync/ct-time';
import {
  describeApiError,
  failureMessage,
  SyncError,
  scrubSecrets,
} from '../../../src/lib/sync/errors';

describe('sync error messages', () => {
  it('say what happened in words, with ClientTether codes but no bodies', () => {
    expect(describeApiError('clients', { kind: 'auth', status: 401 })).toMatch(
      /refused the credentials while reading clients/,
    );
    expect(describeApiError('users', { kind: 'api', resultCode: 'CT501' })).toMatch(/CT501/);
    expect(describeApiError('events', { kind: 'timeout' })).toMatch(/did not answer in time/);
  });

  it('never contain a secret, whatever the message was', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string({ minLength: 8, maxLength: 40 }),
        fc.string(),
        (before, secret, after) => {
          const scrubbed = scrubSecrets(`${before}${secret}${after}`, [secret]);
          expect(scrubbed.includes(secret) && !`${before}${after}`.includes(secret)).toBe(false);
        },
      ),
    );
    expect(scrubSecrets('key CT_0123456789abcdef0123456789abcdef leaked', [])).toBe(
      'key [redacted] leaked',
    );
  });

  it('hide unexpected errors behind a generic sentence', () => {
    expect(failureMessage(new Error('password=hunter2'), [])).toMatch(/unexpected error/);
    expect(
      failureMessage(new SyncError('ClientTether answered CT500 while reading clients.', true), []),
    ).toMatch(/CT500/);
  });
});

describe('ClientTether times', () => {
  it("are written in the account's zone as 'YYYY-MM-DD HH:MM:SS'", () => {
    const instant = new Date('2026-07-01T03:04:05Z');
    expect(formatCtDateTime(instant, 'UTC')).toBe('2026-07-01 03:04:05');
    expect(formatCtDateTime(instant, 'America/Chicago')).toBe('2026-06-30 22:04:05');
    expect(formatCtDateTime(new Date('2026-01-01T00:00:00Z'), 'Asia/Kolkata')).toBe(
      '2026-01-01 05:30:00',
    );
  });
});
