import { eq } from 'drizzle-orm';
import type { AppConfig } from '../config';
import type { Database } from '../db/client';
import { type CallProviderName, tenantCallSettings } from '../db/schema';
import { withTenant } from '../db/tenant';
import { openSecret } from '../secrets/seal';
import type { ProviderResolver } from './dispatch/dial';
import { createBolnaProvider } from './providers/bolna';
import { createSimulatedProvider, type SimulatedProvider } from './providers/simulated';
import type { CallProvider } from './providers/types';
import { bolnaKeyId, type KeyIdResolver, SIMULATOR_KEY_ID } from './rate-limit/keys';
import { recordCallEvent } from './record-call-event';

/**
 * The worker's providers. Simulated calls report back through the same
 * function the webhook route uses (in-process: the simulator can't know the
 * tenant's secret path token, only its hash is stored). Bolna uses the
 * tenant's own key, else the deployment's; an unusable key yields a provider
 * whose every dial fails with `auth`, which pauses the campaign.
 *
 * `keyIdOf` names the API key a tenant's calls use (SHA-256 of the Bolna key,
 * a fixed name for the simulator): rate limits and the circuit breaker are
 * kept per key, so tenants sharing the deployment's key share its budget.
 * `providerFor` carries it too, so the dispatcher finds it.
 */
export function createProviderRegistry(
  db: Database,
  config: Pick<AppConfig, 'secretsKey' | 'bolnaApiKey' | 'bolnaApiUrl'>,
  simulatorOptions: {
    ringMs?: [number, number];
    talkMs?: [number, number];
    processingMs?: [number, number];
  } = {},
): { providerFor: ProviderResolver; keyIdOf: KeyIdResolver; close: () => void } {
  const simulators = new Map<string, SimulatedProvider>();
  const bolna = new Map<string, { apiKey: string; keyId: string; at: number }>();
  const bolnaProviders = new Map<string, CallProvider>();

  const simulated = (tenantId: string) => {
    let sim = simulators.get(tenantId);
    if (!sim) {
      sim = createSimulatedProvider({
        ...simulatorOptions,
        postWebhook: async (payload) => {
          const result = await recordCallEvent(db, tenantId, 'simulated', payload);
          if (!result.ok) throw new Error(result.error.message);
        },
      });
      simulators.set(tenantId, sim);
    }
    return sim;
  };

  /** The tenant's Bolna key (its own, else the deployment's), re-read every minute. */
  const bolnaKeyOf = async (tenantId: string) => {
    const cached = bolna.get(tenantId);
    if (cached && Date.now() - cached.at < 60_000) return cached;
    const [settings] = await withTenant(db, tenantId, (tx) =>
      tx
        .select({ sealed: tenantCallSettings.bolnaApiKeySealed })
        .from(tenantCallSettings)
        .where(eq(tenantCallSettings.tenantId, tenantId)),
    );
    let apiKey = config.bolnaApiKey ?? '';
    if (settings?.sealed && config.secretsKey)
      apiKey = openSecret(config.secretsKey, settings.sealed);
    const entry = { apiKey, keyId: bolnaKeyId(apiKey), at: Date.now() };
    bolna.set(tenantId, entry);
    return entry;
  };

  const bolnaFor = async (tenantId: string): Promise<CallProvider> => {
    const { apiKey, keyId } = await bolnaKeyOf(tenantId);
    // One provider per key: tenants on the deployment's key share it.
    let provider = bolnaProviders.get(keyId);
    if (!provider) {
      provider = apiKey
        ? createBolnaProvider({ apiKey, baseUrl: config.bolnaApiUrl })
        : keylessBolna;
      bolnaProviders.set(keyId, provider);
    }
    return provider;
  };

  const keyIdOf: KeyIdResolver = async (tenantId, name) =>
    name === 'bolna' ? (await bolnaKeyOf(tenantId)).keyId : SIMULATOR_KEY_ID;
  const providerFor: ProviderResolver = Object.assign(
    async (tenantId: string, name: CallProviderName) =>
      name === 'bolna' ? bolnaFor(tenantId) : simulated(tenantId),
    { keyIdOf },
  );

  return {
    providerFor,
    keyIdOf,
    close: () => {
      for (const sim of simulators.values()) sim.close();
    },
  };
}

/** A workspace with provider "bolna" and no key anywhere: every dial is refused as `auth`, which pauses the campaign with a clear reason. */
const keylessBolna: CallProvider = {
  name: 'bolna',
  placeCall: async () => ({
    ok: false,
    failure: 'auth',
    message: 'No Bolna API key is set for this workspace. Add one in Settings, then resume.',
  }),
  getExecution: async () => ({ ok: false, message: 'No Bolna API key is set' }),
  findExecutionByRef: async () => ({ ok: false, message: 'No Bolna API key is set' }),
  stopCall: async () => ({ ok: false, message: 'No Bolna API key is set' }),
};
