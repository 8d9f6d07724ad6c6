import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRoute, hasRole, navigationFor, ROUTES } from '../../../src/lib/http/routes';

const pages = resolve(import.meta.dirname, '../../../src/pages');

/** The file Astro serves a registry path from. */
function pageFileExists(path: string): boolean {
  const base = path === '/' ? '/index' : path;
  return ['.astro', '.ts', '/index.astro', '/index.ts'].some((ext) =>
    existsSync(`${pages}${base}${ext}`),
  );
}

describe('route registry', () => {
  it('names only routes that exist as pages or endpoints', () => {
    const missing = ROUTES.filter((r) => r.match !== 'prefix' && !pageFileExists(r.path)).map(
      (r) => r.path,
    );
    expect(missing).toEqual([]);
  });

  it('fails closed: an unknown path requires a signed-in user', () => {
    expect(findRoute('/no-such-page').access).toBe('user');
    expect(findRoute('/api/no-such-endpoint').access).toBe('user');
  });

  it('matches paths with a trailing slash like without', () => {
    expect(findRoute('/dashboard/')).toBe(findRoute('/dashboard'));
    expect(findRoute('/login').access).toBe('public');
  });

  it('ranks roles owner > admin > member', () => {
    expect(hasRole('owner', 'admin')).toBe(true);
    expect(hasRole('admin', 'admin')).toBe(true);
    expect(hasRole('member', 'admin')).toBe(false);
    expect(hasRole('member', undefined)).toBe(true);
  });

  it('shows tenant pages only inside a workspace and marks the current one', () => {
    expect(navigationFor('/dashboard', { role: null, isPlatformAdmin: false })).toEqual([]);
    const nav = navigationFor('/dashboard', { role: 'member', isPlatformAdmin: false });
    expect(nav.map((n) => n.href)).toContain('/dashboard');
    expect(nav.filter((n) => n.active).map((n) => n.href)).toEqual(['/dashboard']);
    for (const item of nav) expect(pageFileExists(item.href)).toBe(true);
  });
});
