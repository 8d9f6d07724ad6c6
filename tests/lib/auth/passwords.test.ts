import { describe, expect, it } from 'vitest';
import { hashPassword, Password, verifyPassword } from '../../../src/lib/auth/passwords';

describe('passwords', () => {
  it('hash with argon2id m=19456, t=2, p=1, given explicitly', async () => {
    const hash = await hashPassword('a perfectly fine password');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'a perfectly fine password')).toBe(true);
    expect(await verifyPassword(hash, 'a perfectly fine passworD')).toBe(false);
  });

  it('accept 8 to 256 characters: 7 is refused, 64 and 256 are fine', () => {
    expect(Password.safeParse('x'.repeat(7)).success).toBe(false);
    expect(Password.safeParse('x'.repeat(8)).success).toBe(true);
    expect(Password.safeParse('x'.repeat(64)).success).toBe(true);
    expect(Password.safeParse('x'.repeat(256)).success).toBe(true);
    expect(Password.safeParse('x'.repeat(257)).success).toBe(false);
  });

  it('treat a corrupt stored hash as a wrong password rather than crashing', async () => {
    expect(await verifyPassword('not-a-hash', 'anything')).toBe(false);
  });
});
