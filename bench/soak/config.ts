/** The soak's knobs (environment), its traffic mix and the single-feature baselines it is held to. */

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const range = (name: string, fallback: string) =>
  (process.env[name] ?? fallback).split('-').map(Number) as [number, number];

export const MINUTES = env('SOAK_MINUTES', 10);
export const TENANTS = 10;
export const USERS_PER_TENANT = 5;
export const SSE_CLIENTS = env('SOAK_SSE_CLIENTS', 500);
export const IMPORT_ROWS = env('SOAK_IMPORT_ROWS', 200_000);
/** When the two uploads start, as fractions of the run: the first before the RSS reference minute. */
export const IMPORT_AT = [0.1, 0.5] as const;
export const CAMPAIGN_CALLS = env('SOAK_CAMPAIGN_CALLS', 50_000);
/** Pause between a simulated user's page views. */
export const THINK_MS = range('SOAK_THINK_MS', '1000-3000');
/** The hourly sync, compressed (CLIENTTETHER_SYNC_SCHEDULE). */
export const SYNC_SCHEDULE = process.env.SOAK_SYNC_SCHEDULE ?? '*/2 * * * *';
/** Each tenant's ClientTether dataset in the simulator, which changes every minute. */
export const CT_CLIENTS = env('SOAK_CT_CLIENTS', 5_000);
export const CT_OPPORTUNITIES = env('SOAK_CT_OPPORTUNITIES', 2_000);
export const CT_EVOLVE_MS = 60_000;
/**
 * The simulator's calls last ~30 s on average (ring 2–8 s, 70 % talk 10–60 s),
 * and no-answer/busy (25 %) are retried once: slots for the campaign's dials
 * to spread over ~85 % of the run (Little's law), unless SOAK_CALL_SLOTS says.
 */
const MEAN_HOLD_S = 30;
export const CALL_SLOTS = env(
  'SOAK_CALL_SLOTS',
  Math.min(
    4_000,
    Math.ceil((CAMPAIGN_CALLS * 1.25 * MEAN_HOLD_S) / (MINUTES * 60 * 0.85) / 100) * 100,
  ),
);
/** SOAK_HEAP=1: web and worker run with --inspect; the V8 heap after a full collection is read each minute. */
export const HEAP = process.env.SOAK_HEAP === '1';
/** The minute whose RSS the last minute's is compared with (2, or 1 in short runs). */
export const RSS_REFERENCE_MINUTE = Math.max(1, Math.min(2, MINUTES - 1));

export interface Baseline {
  p95: number;
  source: string;
}

/**
 * Single-feature figures (p95 ms unless named otherwise), each the latest
 * published with its source; the soak allows BASELINE_FACTOR × each.
 */
export const BASELINE_FACTOR = 1.5;
export const BASELINES = {
  dashboardPage: {
    p95: 78,
    source: 'bench:pages /dashboard (overview), after decision 008 (README "Dashboards"; stop 15)',
  },
  hotListPage: {
    p95: 93,
    source: 'bench:pages worst page p95 93 ms, after decision 008 (README "Dashboards"; stop 15)',
  },
  anyPage: {
    p95: 93,
    source: 'bench:pages worst page p95 93 ms, after decision 008 (README "Dashboards"; stop 15)',
  },
  anyApi: {
    p95: 40,
    source: 'bench:pages every API p95 < 40 ms, after decision 008 (README "Dashboards"; stop 15)',
  },
  eventDelivery: {
    p95: 60,
    source: 'bench:events NOTIFY → client, 1,000 clients (README "Live events"; stop 13, issue 7)',
  },
} satisfies Record<string, Baseline>;
/** bench:import, 1,000,000 rows through the endpoint (README "Contacts and CSV import"; stop 12, issue 5). */
export const IMPORT_BASELINE_ROWS_PER_S = 43_900;
export const IMPORT_BASELINE_SOURCE =
  'bench:import 1,000,000 rows through the endpoint (README "Contacts and CSV import"; stop 12, issue 5)';

export interface Route {
  /** The name in tables: method and path pattern. */
  name: string;
  /** The path to request; null when this user has nothing there (no campaign in the workspace). */
  path: (ctx: { campaignId: string | null }) => string | null;
  weight: number;
  /** Pages without a figure of their own are held to the worst page's, APIs to the APIs'. */
  baseline: Baseline;
  /** Only owners open it (members get 403 by design). */
  ownersOnly?: boolean;
}

const page = (path: string, weight: number, baseline: Baseline = BASELINES.anyPage): Route => ({
  name: `GET ${path}`,
  path: () => path,
  weight,
  baseline,
});
const api = (path: string, weight: number): Route => ({
  name: `GET ${path}`,
  path: () => path,
  weight,
  baseline: BASELINES.anyApi,
});
const ofCampaign = (pattern: string, weight: number, baseline: Baseline): Route => ({
  name: `GET ${pattern}`,
  path: ({ campaignId }) => (campaignId ? pattern.replace(':id', campaignId) : null),
  weight,
  baseline,
});

/** What a signed-in user browses: the dashboards most, then contacts and campaigns, and the APIs their islands call. */
export const ROUTES: Route[] = [
  page('/dashboard', 6, BASELINES.dashboardPage),
  page('/leads?range=30', 3),
  page('/pipeline', 3),
  page('/hot-list', 4, BASELINES.hotListPage),
  page('/hot-list?sort=candidate&dir=asc&page=3', 1),
  page('/notes', 2),
  page('/notes?search=liquid%20capital', 1),
  page('/schedule', 2),
  page('/contacts', 3),
  page('/contacts?q=contact%201', 1),
  page('/campaigns', 2),
  ofCampaign('/campaigns/:id', 2, BASELINES.anyPage),
  { ...page('/settings', 1), ownersOnly: true },
  api('/api/dashboard/leads?range=90', 2),
  api('/api/dashboard/hot-list?page=2', 2),
  api('/api/dashboard/notes?search=territory', 1),
  api('/api/analytics/dashboard?range=7d', 2),
  api('/api/sync/status', 2),
  api('/api/contacts?limit=50', 2),
  ofCampaign('/api/campaigns/:id/progress', 2, BASELINES.anyApi),
];
