import { describe, expect, it } from 'vitest';
import { checkRequestHygiene } from '../../../src/lib/http/request-hygiene';
import { findRoute } from '../../../src/lib/http/routes';

function check(method: string, path: string, headers: Record<string, string> = {}) {
  return checkRequestHygiene(
    new Request(`http://app.test${path}`, { method, headers }),
    path,
    findRoute(path),
  );
}

describe('request hygiene', () => {
  it('lets safe methods through whatever their headers', () => {
    expect(check('GET', '/api/me', { 'sec-fetch-site': 'cross-site' })).toBeNull();
  });

  it('refuses cross-site mutations, except provider webhooks', () => {
    expect(
      check('POST', '/api/me', {
        'sec-fetch-site': 'cross-site',
        'content-type': 'application/json',
      })?.code,
    ).toBe('FORBIDDEN');
    expect(check('POST', '/api/webhooks/calls/x', { 'sec-fetch-site': 'cross-site' })).toBeNull();
  });

  it('requires JSON on API mutations (415 otherwise)', () => {
    expect(check('POST', '/api/auth/password', { 'content-type': 'text/plain' })?.code).toBe(
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expect(
      check('POST', '/api/auth/password', { 'content-type': 'application/x-www-form-urlencoded' })
        ?.code,
    ).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(check('POST', '/api/auth/password')?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(
      check('POST', '/api/auth/password', { 'content-type': 'application/json; charset=utf-8' }),
    ).toBeNull();
  });

  it('accepts form posts only on the routes that declare them', () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect(check('POST', '/api/auth/login', form)).toBeNull();
    expect(check('POST', '/api/workspaces/select', form)).toBeNull();
    expect(check('POST', '/api/auth/login', { 'content-type': 'text/plain' })?.code).toBe(
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });
});
