/**
 * What the route inventory and the body fuzzer know about src/pages: each
 * file's URL pattern, methods, parameters (and what kind of id each takes),
 * whether it reads a JSON body or the query string. A file that cannot be
 * described from these rules is reported as unmapped, so new routes get probed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { MembershipRole } from '../../src/lib/db/schema';
import { type Access, findRoute } from '../../src/lib/http/routes';

const PAGES = resolve(import.meta.dirname, '../../src/pages');

export type ParamKind =
  | 'campaign'
  | 'contact'
  | 'import'
  | 'invite'
  | 'member'
  | 'tenant'
  | 'user'
  | 'webhookToken'
  | 'action'
  | 'token';

/** Which kind of id a parameter takes, decided by the path before it. */
const PARAM_RULES: [RegExp, ParamKind][] = [
  [/^\/(api\/)?campaigns\/\[id\]$/, 'campaign'],
  [/^\/api\/campaigns\/\[id\]\/\[action\]$/, 'action'],
  [/^\/api\/contacts\/\[id\]$/, 'contact'],
  [/^\/api\/contacts\/imports\/\[id\]$/, 'import'],
  [/^\/(api\/)?admin\/tenants\/\[id\]$/, 'tenant'],
  [/^\/api\/admin\/users\/\[id\]$/, 'user'],
  [/^\/api\/team\/invites\/\[id\]$/, 'invite'],
  [/^\/api\/team\/members\/\[userId\]$/, 'member'],
  [/^\/api\/webhooks\/calls\/\[token\]$/, 'webhookToken'],
  [/^\/(invite|reset-password)\/\[token\]$/, 'token'],
];

/** Values no route should take for an id: each must be refused with 400/404, never 500. */
export const GARBAGE_IDS = [
  'not-an-id',
  '00000000-0000-0000-0000-000000000000',
  '99999999999999999999999',
  '-1',
  "1' or '1'='1",
  '%00',
  'x'.repeat(300),
];

/**
 * For endpoints that read the query string: values each must refuse with 400.
 * (Key: the route pattern.) An endpoint that reads the query and is missing here is unmapped.
 */
export const MALFORMED_QUERY: Record<string, string[]> = {
  '/api/campaigns': ['limit=abc', 'limit=0', 'before=not-a-date'],
  '/api/campaigns/csv-template': ['type=zip'],
  '/api/campaigns/[id]/queue': ['limit=abc', 'status=bogus', 'after=-1'],
  '/api/contacts': ['limit=abc', 'limit=100000'],
  '/api/contacts/imports': ['limit=0', 'limit=abc'],
  '/api/dashboard/hot-list': ['sort=bogus', 'page=0', 'pageSize=abc'],
  '/api/dashboard/leads': ['range=bogus'],
  '/api/dashboard/notes': ['limit=abc', `search=${'x'.repeat(1000)}`, 'after=%7B'],
  '/api/dashboard/schedule': ['limit=abc'],
  '/api/queue': ['limit=abc', 'after=%7Bnot-json'],
  '/api/queue/position': ['contactId=abc', 'contactId=', 'contactId=1e999', 'contactId=-5'],
  '/api/analytics/calls': ['range=bogus', 'granularity=century'],
  '/api/analytics/dashboard': ['range=bogus'],
  // An id in the query: unknown reads as missing, like a path id (404).
  '/api/events': ['campaign=not-a-uuid'],
};

/** Query parameters that carry an id: refused with 404 (no such thing) as well as 400. */
export const ID_QUERY = new Set(['/api/events']);

/** A body that passes validation, so a foreign id is refused for the id, not the body. */
export const VALID_BODY: Record<string, unknown> = {
  '/api/campaigns/[id]': { name: 'Renamed by the inventory' },
  '/api/contacts/[id]': { name: 'Renamed by the inventory' },
  '/api/team/members/[userId]/role': { role: 'member' },
};

/**
 * Endpoints that read a JSON body only for something optional (a redirect
 * target): a malformed one is ignored, not refused.
 */
const OPTIONAL_BODY = new Set([
  '/api/admin/users/[id]/deactivate',
  '/api/admin/users/[id]/reactivate',
]);

/**
 * Endpoints whose body is a mailed token: anything that is not a live token gets
 * the same 404 "link invalid or expired" (decision 007: one answer, no oracle).
 */
export const TOKEN_BODY = new Set(['/api/profile/email/confirm']);

export interface RouteFile {
  file: string;
  /** URL with `[param]` placeholders, e.g. /api/campaigns/[id]/queue. */
  pattern: string;
  /** Same as pattern: the key of the tables above. */
  key: string;
  api: boolean;
  methods: string[];
  params: { name: string; kind: ParamKind }[];
  access: Access;
  minRole?: MembershipRole;
  body: 'json' | 'upload' | 'webhook' | 'none';
  readsQuery: boolean;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

export function discoverRoutes(): { files: RouteFile[]; unmapped: string[] } {
  const files: RouteFile[] = [];
  const unmapped: string[] = [];
  for (const path of walk(PAGES).sort()) {
    const file = relative(PAGES, path);
    if (!/\.(astro|ts)$/.test(file)) {
      unmapped.push(`${file}: not a page or endpoint the inventory knows`);
      continue;
    }
    const pattern = `/${file.replace(/\.(astro|ts)$/, '')}`.replace(/\/index$/, '') || '/';
    const source = readFileSync(path, 'utf8');
    const api = file.endsWith('.ts');
    const methods = api
      ? [
          ...source.matchAll(
            /export (?:const|async function|function) (GET|POST|PATCH|PUT|DELETE|ALL)\b/g,
          ),
        ].map((m) => m[1] as string)
      : ['GET'];
    if (methods.length === 0 || methods.includes('ALL')) {
      unmapped.push(`${file}: no GET/POST/PATCH/PUT/DELETE export`);
      continue;
    }
    const params: RouteFile['params'] = [];
    for (const match of pattern.matchAll(/\[([^\]]+)\]/g)) {
      const upTo = pattern.slice(0, (match.index ?? 0) + match[0].length);
      const rule = PARAM_RULES.find(([re]) => re.test(upTo));
      if (!rule) unmapped.push(`${file}: parameter [${match[1]}] of unknown kind`);
      else params.push({ name: match[1] as string, kind: rule[1] });
    }
    const readsQuery = api && /searchParams/.test(source);
    if (readsQuery && !MALFORMED_QUERY[pattern])
      unmapped.push(`${file}: reads the query string but has no MALFORMED_QUERY entry`);
    const body: RouteFile['body'] = /startImport|createCampaignFromCsv/.test(source)
      ? 'upload'
      : pattern.startsWith('/api/webhooks/')
        ? 'webhook'
        : /readBody\(|request\.json\(/.test(source) && !OPTIONAL_BODY.has(pattern)
          ? 'json'
          : 'none';
    const route = findRoute(pattern.replace(/\[[^\]]+\]/g, 'x'));
    files.push({
      file,
      pattern,
      key: pattern,
      api,
      methods,
      params,
      access: route.access,
      minRole: route.minRole,
      body,
      readsQuery,
    });
  }
  return { files, unmapped };
}
