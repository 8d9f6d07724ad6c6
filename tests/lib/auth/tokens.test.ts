import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSessionToken, hashToken } from '../../../src/lib/auth/tokens';

describe('session tokens', () => {
  it('are 32 base32 characters (160 bits) and unique over 10 000 draws', () => {
    const tokens = new Set(Array.from({ length: 10_000 }, generateSessionToken));
    expect(tokens.size).toBe(10_000);
    for (const token of tokens) expect(token).toMatch(/^[a-z2-7]{32}$/);
  });

  it('are stored as their hex SHA-256', () => {
    const token = generateSessionToken();
    expect(hashToken(token)).toBe(createHash('sha256').update(token).digest('hex'));
    expect(hashToken(token)).not.toContain(token);
  });
});
