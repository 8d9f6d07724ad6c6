import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { generateSecretsKey } from '../secrets/seal';

/** A local deployment's SECRETS_KEY, created once and kept beside its database. */
export function readOrCreateSecretsKey(path: string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dirname(path), { recursive: true });
  const key = generateSecretsKey();
  writeFileSync(path, `${key}\n`, { mode: 0o600 });
  return key;
}
