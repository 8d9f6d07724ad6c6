import { describe, expect, it } from 'vitest';
import { describeError } from '../../../src/lib/log/describe-error';

describe('describeError', () => {
  it("gives the database's reason and code, not drizzle's wrapper with its parameters", () => {
    const pg = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    const wrapped = new Error('Failed query: select 1\nparams: +15551234567', { cause: pg });
    expect(describeError(wrapped)).toBe('deadlock detected (40P01)');
  });

  it('keeps a plain error and anything thrown', () => {
    expect(describeError(new Error('provider unavailable'))).toBe('provider unavailable');
    expect(describeError('socket hang up')).toBe('socket hang up');
  });
});
