/**
 * A tiny cookie-keeping HTTP client, like a browser without JavaScript:
 * remembers Set-Cookie, sends a same-origin Origin header on mutations, and
 * never follows redirects (tests assert on them).
 */
export interface ParsedCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

export function parseSetCookie(header: string): ParsedCookie {
  const [pair = '', ...attrs] = header.split(';').map((s) => s.trim());
  const eq = pair.indexOf('=');
  const attributes: Record<string, string | true> = {};
  for (const attr of attrs) {
    const i = attr.indexOf('=');
    if (i === -1) attributes[attr.toLowerCase()] = true;
    else attributes[attr.slice(0, i).toLowerCase()] = attr.slice(i + 1);
  }
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes };
}

/** The Set-Cookie headers of `response` for one cookie name, parsed, in order. */
export function cookiesNamed(response: Response, name: string): ParsedCookie[] {
  return response.headers
    .getSetCookie()
    .map(parseSetCookie)
    .filter((c) => c.name === name);
}

/** The last Set-Cookie for `name` (what the browser ends up with). */
export function lastCookie(response: Response, name: string): ParsedCookie | undefined {
  return cookiesNamed(response, name).at(-1);
}

/** True when the Set-Cookie tells the browser to drop the cookie. */
export function isCleared(cookie: ParsedCookie | undefined): boolean {
  if (!cookie) return false;
  const expires = cookie.attributes.expires;
  return (
    cookie.value === '' ||
    cookie.attributes['max-age'] === '0' ||
    (typeof expires === 'string' && new Date(expires).getTime() <= Date.now())
  );
}

export class HttpClient {
  readonly cookies = new Map<string, string>();
  constructor(readonly baseUrl: string) {}

  async request(
    path: string,
    init: RequestInit & { json?: unknown; form?: Record<string, string> } = {},
  ) {
    const headers = new Headers(init.headers);
    const method = (
      init.method ?? (init.json !== undefined || init.form ? 'POST' : 'GET')
    ).toUpperCase();
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    } else if (init.form) {
      headers.set('content-type', 'application/x-www-form-urlencoded');
      body = new URLSearchParams(init.form).toString();
    }
    if (method !== 'GET' && method !== 'HEAD' && !headers.has('origin'))
      headers.set('origin', this.baseUrl);
    if (this.cookies.size && !headers.has('cookie')) {
      headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    }
    const response = await fetch(new URL(path, this.baseUrl), {
      ...init,
      method,
      headers,
      body,
      redirect: 'manual',
    });
    for (const header of response.headers.getSetCookie()) {
      const cookie = parseSetCookie(header);
      const maxAge = cookie.attributes['max-age'];
      const expires = cookie.attributes.expires;
      const expired =
        cookie.value === '' ||
        maxAge === '0' ||
        (typeof expires === 'string' && new Date(expires) < new Date());
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return response;
  }

  /** Signs in through the JSON API. */
  async login(email: string, password: string) {
    return this.request('/api/auth/login', { json: { email, password } });
  }
}
