import { describe, expect, it } from 'vitest';
import { ERROR_CODES, fail, httpStatusFor, ok } from '../../../src/lib/api/result';

describe('Result', () => {
  it('maps every error code to a distinct 4xx/5xx status', () => {
    const statuses = ERROR_CODES.map(httpStatusFor);
    expect(new Set(statuses).size).toBe(ERROR_CODES.length);
    for (const status of statuses) expect(status).toBeGreaterThanOrEqual(400);
  });

  it('marks rate limits and internal errors retryable, the rest not', () => {
    expect(fail('RATE_LIMITED', 'slow down').error.retryable).toBe(true);
    expect(fail('VALIDATION', 'bad').error.retryable).toBe(false);
    expect(ok(1)).toEqual({ ok: true, data: 1 });
  });
});
