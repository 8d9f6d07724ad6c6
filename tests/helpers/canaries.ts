/**
 * Checklist 28's sweep: secrets minted as canaries (random, so a hit can only
 * be a leak), and a search of everything a run captured for any of them.
 */
import { randomBytes } from 'node:crypto';

/** A secret no code would print by chance: `CANARY-<name>-<16 hex>`. */
export const canary = (name: string) => `CANARY-${name}-${randomBytes(8).toString('hex')}`;

/**
 * Where any of `secrets` appears in `captured` (a name per captured text: a
 * log, a page, a response), as "secret in place" lines; empty when none leaked.
 * Secrets are named so a failure says which one leaked, never its value alone.
 */
export function leaksOf(
  secrets: Record<string, string | string[]>,
  captured: Iterable<[place: string, text: string]>,
): string[] {
  const found: string[] = [];
  const all = Object.entries(secrets).flatMap(([name, values]) =>
    (Array.isArray(values) ? values : [values]).map((value) => [name, value] as const),
  );
  // A blank or tiny "secret" would match everywhere or by chance: a broken test, not a leak.
  const short = all.filter(([, value]) => value.length < 12).map(([name]) => name);
  if (short.length > 0) throw new Error(`not a canary: ${short.join(', ')}`);
  for (const [place, text] of captured) {
    for (const [name, value] of all) {
      if (text.includes(value)) found.push(`${name} in ${place}`);
    }
  }
  return found;
}
