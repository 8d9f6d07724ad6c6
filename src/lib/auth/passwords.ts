import { type Algorithm, hash, verify } from '@node-rs/argon2';
import { z } from 'zod';

// OWASP's argon2id profile, passed explicitly so a library default change can't weaken it.
// (Algorithm is a const enum in the typings; 2 is Argon2id.)
const ARGON2ID = {
  algorithm: 2 as Algorithm,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

export const Password = z
  .string()
  .min(PASSWORD_MIN, `Password must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `Password must be at most ${PASSWORD_MAX} characters`);

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// A real hash to verify against when the email is unknown, so both answers take as long.
let dummyHash: Promise<string> | undefined;
export function verifyAgainstDummy(password: string): Promise<boolean> {
  dummyHash ??= hashPassword('switchboard-timing-equaliser');
  return dummyHash.then((h) => verifyPassword(h, password)).then(() => false);
}
