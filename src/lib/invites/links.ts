/** Absolute links for mails: the configured public URL, else the request's own origin. */
export function absoluteUrl(baseUrl: string, path: string): string {
  return new URL(path, baseUrl).toString();
}

export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
