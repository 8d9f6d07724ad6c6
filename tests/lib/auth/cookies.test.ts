import { describe, expect, it } from 'vitest';
import {
  cookieAttributes,
  expiredCookieAttributes,
  sessionCookieName,
  tenantCookieName,
} from '../../../src/lib/auth/cookies';
import { isHttps } from '../../../src/lib/config';

describe('cookies', () => {
  it('in production (https) are __Host- prefixed, Secure, HttpOnly, Lax, Path=/ and carry no Domain', () => {
    const https = isHttps({ publicUrl: 'https://app.switchboard.example' });
    expect(https).toBe(true);
    expect(sessionCookieName(https)).toBe('__Host-sb_session');
    expect(tenantCookieName(https)).toBe('__Host-sb_tenant');
    const expires = new Date('2027-01-01T00:00:00Z');
    const attributes = cookieAttributes(https, expires);
    expect(attributes).toEqual({
      httpOnly: true,
      sameSite: 'lax',
      secure: true,
      path: '/',
      expires,
    });
    expect(attributes).not.toHaveProperty('domain');
  });

  it('over plain http (local) drop Secure and the prefix, which browsers would refuse', () => {
    const https = isHttps({ publicUrl: undefined });
    expect(sessionCookieName(https)).toBe('sb_session');
    expect(cookieAttributes(https).secure).toBe(false);
  });

  it('are cleared with Max-Age=0 and the same flags', () => {
    expect(expiredCookieAttributes(true)).toEqual({
      httpOnly: true,
      sameSite: 'lax',
      secure: true,
      path: '/',
      maxAge: 0,
    });
  });
});
