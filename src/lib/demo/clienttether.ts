import { startClientTetherSimulator } from '../clienttether/simulator';
import { DEMO_CLIENTTETHER_ACCESS_TOKEN, DEMO_TENANTS } from './seed';

/** Demo data moves while you watch: new leads and stage moves every few minutes. */
const EVOLVE_EVERY_MS = 5 * 60 * 1000;

/** The local ClientTether that `npm start` runs for the demo tenants. */
export function startDemoClientTether() {
  return startClientTetherSimulator({
    accessToken: DEMO_CLIENTTETHER_ACCESS_TOKEN,
    tenants: DEMO_TENANTS.map((t) => ({ webKey: t.webKey, seed: t.dataSeed })),
    evolveEveryMs: EVOLVE_EVERY_MS,
  });
}
