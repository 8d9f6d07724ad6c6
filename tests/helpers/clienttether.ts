import { afterAll, beforeAll } from 'vitest';
import { createClientTetherClient } from '../../src/lib/clienttether/client';
import {
  type ClientTetherSimulator,
  type SimulatorTenant,
  startClientTetherSimulator,
} from '../../src/lib/clienttether/simulator';
import type { DbOrTx } from '../../src/lib/db/client';
import type { SyncContext } from '../../src/lib/sync/run-tenant-sync';
import { setClientTetherCredentials } from '../../src/lib/tenants/set-clienttether-credentials';

export const TEST_SECRETS_KEY = Buffer.alloc(32, 42).toString('base64');
export const SIM_ACCESS_TOKEN = 'sim-token-canary-7f3a9c';

let keyCounter = 0;
/** A fresh, valid-looking web key (CT_ + 32 hex) for one simulated account. */
export function newWebKey(): string {
  keyCounter += 1;
  return `CT_${(Date.now().toString(16) + keyCounter.toString(16).padStart(8, '0')).padStart(32, 'c').slice(-32)}`;
}

/** Per test file: a ClientTether simulator serving `tenants`. */
export function useSimulator(tenants: SimulatorTenant[]) {
  const state = {} as { simulator: ClientTetherSimulator };
  beforeAll(async () => {
    state.simulator = await startClientTetherSimulator({ accessToken: SIM_ACCESS_TOKEN, tenants });
  });
  afterAll(async () => {
    await state.simulator?.stop();
  });
  return {
    get simulator() {
      return state.simulator;
    },
  };
}

/** Stores a tenant's credentials the way Settings does. */
export async function connectTenant(
  db: DbOrTx,
  tenantId: string,
  webKey: string,
  accessToken = SIM_ACCESS_TOKEN,
) {
  const result = await setClientTetherCredentials(db, TEST_SECRETS_KEY, tenantId, {
    webKey,
    accessToken,
  });
  if (!result.ok) throw new Error(result.error.message);
}

/** A sync context on the simulator with instant, recorded backoff sleeps. */
export function simulatorSyncContext(
  database: { db: SyncContext['db']; sql: SyncContext['sql'] },
  simulator: ClientTetherSimulator,
  sleeps: number[] = [],
): SyncContext {
  return {
    db: database.db,
    sql: database.sql,
    secretsKey: TEST_SECRETS_KEY,
    createClient: (credentials, signal) =>
      createClientTetherClient({
        baseUrl: simulator.url,
        credentials,
        signal,
        random: () => 0,
        sleep: async (ms) => {
          sleeps.push(ms);
        },
        timeoutMs: 5_000,
      }),
  };
}
