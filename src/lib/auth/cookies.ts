/**
 * Cookie names and attributes in one place. Over https the session cookie is
 * `__Host-` prefixed, which the browser only accepts with Secure, Path=/ and
 * no Domain — so it can't be planted by a sibling subdomain.
 */
export function sessionCookieName(https: boolean): string {
  return https ? '__Host-sb_session' : 'sb_session';
}

export function tenantCookieName(https: boolean): string {
  return https ? '__Host-sb_tenant' : 'sb_tenant';
}

export interface CookieAttributes {
  httpOnly: true;
  sameSite: 'lax';
  secure: boolean;
  path: '/';
  expires?: Date;
  maxAge?: number;
}

export function cookieAttributes(https: boolean, expires?: Date): CookieAttributes {
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure: https,
    path: '/',
    ...(expires ? { expires } : {}),
  };
}

/** Attributes that make the browser drop a cookie at once. */
export function expiredCookieAttributes(https: boolean): CookieAttributes {
  return { httpOnly: true, sameSite: 'lax', secure: https, path: '/', maxAge: 0 };
}
