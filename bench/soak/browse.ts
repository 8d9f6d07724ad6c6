/**
 * Simulated users: each signs in through POST /api/auth/login, then until
 * told to stop picks a page or API by weight, requests it with its cookies
 * and thinks for a while (SOAK_THINK_MS) before the next one.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ROUTES, THINK_MS } from './config';
import type { Recorder } from './recorder';
import { timedGet } from './recorder';
import { PASSWORD, type SoakUser } from './seed';

export interface SignedIn extends SoakUser {
  cookie: string;
}

/** Signs in like the login form's script does; the session cookie plus the workspace's. */
export async function signIn(
  baseUrl: string,
  user: SoakUser,
  tenantId: string,
  recorder: Recorder,
): Promise<SignedIn> {
  const t0 = performance.now();
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ email: user.email, password: PASSWORD }),
  });
  await response.arrayBuffer();
  const ok = response.status === 200;
  recorder.record('POST /api/auth/login', performance.now() - t0, ok, `${response.status}`);
  const session = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .find((c) => c.startsWith('sb_session='));
  if (!ok || !session) throw new Error(`sign-in of ${user.email} answered ${response.status}`);
  return { ...user, cookie: `${session}; sb_tenant=${tenantId}` };
}

const totalWeight = ROUTES.reduce((sum, r) => sum + r.weight, 0);

function pickRoute() {
  let r = Math.random() * totalWeight;
  for (const route of ROUTES) {
    r -= route.weight;
    if (r < 0) return route;
  }
  return ROUTES[0] as (typeof ROUTES)[number];
}

/** One user's browsing until `running()` turns false. */
export async function browse(
  baseUrl: string,
  user: SignedIn,
  campaignId: () => string | null,
  recorder: Recorder,
  running: () => boolean,
) {
  const [minThink, maxThink] = THINK_MS;
  // Users don't all arrive in the same second.
  await sleep(Math.random() * maxThink);
  while (running()) {
    const route = pickRoute();
    const path = route.path({ campaignId: campaignId() });
    if (path === null || (route.ownersOnly && !user.owner)) continue;
    await timedGet(recorder, route.name, `${baseUrl}${path}`, { cookie: user.cookie });
    await sleep(minThink + Math.random() * (maxThink - minThink));
  }
}
