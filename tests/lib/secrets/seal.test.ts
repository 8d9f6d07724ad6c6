import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateSecretsKey, openSecret, sealSecret } from '../../../src/lib/secrets/seal';

const key = generateSecretsKey();

describe('sealed secrets', () => {
  it('round-trip any text, and never contain it', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4 }), (plaintext) => {
        const sealed = sealSecret(key, plaintext);
        expect(openSecret(key, sealed)).toBe(plaintext);
        expect(sealed.includes(plaintext) && plaintext.length > 8).toBe(false);
      }),
    );
  });

  it('differ every time the same secret is sealed (random IV)', () => {
    expect(sealSecret(key, 'same')).not.toBe(sealSecret(key, 'same'));
  });

  it('refuse to open when tampered with or under another key', () => {
    const sealed = sealSecret(key, 'ct-web-key');
    const parts = sealed.split('.');
    parts[2] = Buffer.from('tampered').toString('base64url');
    expect(() => openSecret(key, parts.join('.'))).toThrow();
    expect(() => openSecret(generateSecretsKey(), sealed)).toThrow();
    expect(() => openSecret(key, 'plain text')).toThrow(/unknown format/);
  });

  it('reject a key that is not 32 bytes', () => {
    expect(() => sealSecret(Buffer.alloc(16).toString('base64'), 'x')).toThrow(/32 bytes/);
  });
});
