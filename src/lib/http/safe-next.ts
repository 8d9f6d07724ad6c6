const ORIGIN = 'http://switchboard.invalid';

/**
 * Where to send a user after sign-in: only a same-site relative path is
 * honoured; absolute, protocol-relative, backslash and scheme tricks fall
 * back to `fallback`.
 */
export function safeNext(next: string | null | undefined, fallback = '/dashboard'): string {
  if (!next || next.length > 2048) return fallback;
  // Browsers treat `\` like `/` and strip tabs/newlines, so `/\evil.com` would leave the site.
  if (!next.startsWith('/') || next.startsWith('//') || hasBackslashOrControl(next)) {
    return fallback;
  }
  try {
    const url = new URL(next, ORIGIN);
    if (url.origin !== ORIGIN) return fallback;
    const path = `${url.pathname}${url.search}${url.hash}`;
    return path.startsWith('//') ? fallback : path;
  } catch {
    return fallback;
  }
}

function hasBackslashOrControl(value: string): boolean {
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (char === '\\' || code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
