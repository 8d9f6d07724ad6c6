import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeNext } from '../../../src/lib/http/safe-next';

describe('safeNext', () => {
  it('keeps same-site relative paths with their query and hash', () => {
    expect(safeNext('/dashboard')).toBe('/dashboard');
    expect(safeNext('/leads?range=30#top')).toBe('/leads?range=30#top');
  });

  it.each([
    '//evil.com',
    '///evil.com',
    'https://evil.com',
    'http:evil.com',
    'javascript:alert(1)',
    '/\\evil.com',
    '\\\\evil.com',
    '/\t/evil.com',
    '/\n/evil.com',
    'evil.com',
    '',
    ' /dashboard',
  ])('refuses %j and falls back to the dashboard', (next) => {
    expect(safeNext(next)).toBe('/dashboard');
  });

  it('normalises encoded and dotted tricks to a path on this site', () => {
    for (const next of ['/%2F%2Fevil.com', '/./evil.com', '/../../evil.com', '/%5Cevil.com']) {
      const result = safeNext(next);
      expect(result.startsWith('/')).toBe(true);
      expect(result.startsWith('//')).toBe(false);
      expect(new URL(result, 'https://app.example').host).toBe('app.example');
    }
  });

  it('never produces a location that leaves the site, whatever it is given', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.webUrl(),
          fc.webPath(),
          fc.string().map((s) => `/${s}`),
        ),
        (next) => {
          const result = safeNext(next);
          expect(new URL(result, 'https://app.example').origin).toBe('https://app.example');
          expect(result.startsWith('/')).toBe(true);
          expect(result.startsWith('//')).toBe(false);
          expect(result).not.toContain('\\');
        },
      ),
      { numRuns: 2000 },
    );
  });
});
