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
import { recordCallEvent } from './record-call-event';

/**
 * The worker's providers. Simulated calls report back through the same
 * function the webhook route uses (in-process: the simulator can't know the
 * tenant's secret path token, only its hash is stored). Bolna uses the
 * tenant's own key, else the deployment's; an unusable key yields a provider
 * whose every dial fails with `auth`, which pauses the campaign.
 */
export function createProviderRegistry(
  db: Database,
  config: Pick<AppConfig, 'secretsKey' | 'bolnaApiKey' | 'bolnaApiUrl'>,
  simulatorOptions: {
    ringMs?: [number, number];
    talkMs?: [number, number];
    processingMs?: [number, number];
  } = {},
): { providerFor: ProviderResolver; close: () => void } {
  const simulators = new Map<string, SimulatedProvider>();
  const bolna = new Map<string, { provider: CallProvider; at: number }>();

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

  const bolnaFor = async (tenantId: string): Promise<CallProvider> => {
    const cached = bolna.get(tenantId);
    if (cached && Date.now() - cached.at < 60_000) return cached.provider;
    const [settings] = await withTenant(db, tenantId, (tx) =>
      tx
        .select({ sealed: tenantCallSettings.bolnaApiKeySealed })
        .from(tenantCallSettings)
        .where(eq(tenantCallSettings.tenantId, tenantId)),
    );
    let apiKey = config.bolnaApiKey ?? '';
    if (settings?.sealed && config.secretsKey)
      apiKey = openSecret(config.secretsKey, settings.sealed);
    const provider = createBolnaProvider({ apiKey, baseUrl: config.bolnaApiUrl });
    bolna.set(tenantId, { provider, at: Date.now() });
    return provider;
  };

  return {
    providerFor: async (tenantId: string, name: CallProviderName) =>
      name === 'bolna' ? bolnaFor(tenantId) : simulated(tenantId),
    close: () => {
      for (const sim of simulators.values()) sim.close();
    },
  };
}
