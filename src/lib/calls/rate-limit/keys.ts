import { createHash } from 'node:crypto';
import type { CallProviderName } from '../../db/schema';

/**
 * Which provider API key a tenant's calls go out with, as the name of its
 * row in provider_rate_buckets (drizzle/0008). Never the key itself.
 */
export type KeyIdResolver = (tenantId: string, provider: CallProviderName) => Promise<string>;

/** A Bolna key's bucket: the hex SHA-256 of the key, so the table can't leak it. */
export function bolnaKeyId(apiKey: string): string {
  return `bolna:${createHash('sha256').update(apiKey).digest('hex')}`;
}

/** The simulator has no key: one fixed bucket for it. */
export const SIMULATOR_KEY_ID = 'simulator';

/**
 * For a resolver that can't say which key it uses (tests, tools): one bucket
 * per tenant and provider.
 */
export function fallbackKeyId(tenantId: string, provider: CallProviderName): string {
  return `${provider}:tenant:${tenantId}`;
}
