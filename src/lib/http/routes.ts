import type { MembershipRole } from '../db/schema';

/**
 * The one route registry: the middleware guards requests with it and the
 * layout builds its navigation from it, so a page can't appear in the menu
 * without a guard, nor be guarded differently than it is shown.
 *
 * - public: anyone; user: signed in; tenant: signed in with a workspace chosen;
 *   platform-admin: signed in as a platform administrator.
 * A path missing from the registry requires a signed-in user (fail closed).
 */
export type Access = 'public' | 'user' | 'tenant' | 'platform-admin';

export interface RouteDef {
  path: string;
  /** `prefix` also matches everything below `path/`. */
  match?: 'exact' | 'prefix';
  access: Access;
  /** Minimum role within the tenant, for `tenant` routes. */
  minRole?: MembershipRole;
  /** API routes that also take HTML form posts (work without JavaScript). */
  acceptsForms?: boolean;
  /** API routes that take file uploads (multipart/form-data), and nothing else. */
  acceptsUploads?: boolean;
  nav?: { label: string; icon: NavIcon };
}

export type NavIcon =
  | 'home'
  | 'leads'
  | 'pipeline'
  | 'hot'
  | 'notes'
  | 'schedule'
  | 'contacts'
  | 'campaigns'
  | 'settings'
  | 'team';

export const ROUTES: readonly RouteDef[] = [
  { path: '/login', access: 'public' },
  { path: '/api/health', access: 'public' },
  // Readiness (database, migrations, worker heartbeat) for load balancers: no secrets in it.
  { path: '/api/ready', access: 'public' },
  // Call providers post here; the secret path token is the credential.
  { path: '/api/webhooks/calls', access: 'public', match: 'prefix' },
  { path: '/api/auth/login', access: 'public', acceptsForms: true },
  { path: '/api/auth/logout', access: 'user', acceptsForms: true },
  { path: '/api/auth/password', access: 'user' },
  { path: '/api/me', access: 'user' },
  { path: '/workspaces', access: 'user' },
  { path: '/api/workspaces/select', access: 'user', acceptsForms: true },
  { path: '/', access: 'tenant' },
  { path: '/dashboard', access: 'tenant', nav: { label: 'Overview', icon: 'home' } },
  { path: '/leads', access: 'tenant', nav: { label: 'Leads', icon: 'leads' } },
  { path: '/pipeline', access: 'tenant', nav: { label: 'Pipeline', icon: 'pipeline' } },
  { path: '/hot-list', access: 'tenant', nav: { label: 'Hot list', icon: 'hot' } },
  { path: '/notes', access: 'tenant', nav: { label: 'Notes', icon: 'notes' } },
  { path: '/schedule', access: 'tenant', nav: { label: 'Schedule', icon: 'schedule' } },
  { path: '/contacts', access: 'tenant', nav: { label: 'Contacts', icon: 'contacts' } },
  { path: '/contacts/import', access: 'tenant' },
  // The list, /campaigns/new, /campaigns/:id and its edit page; changes go through /api/campaigns.
  {
    path: '/campaigns',
    access: 'tenant',
    match: 'prefix',
    nav: { label: 'Campaigns', icon: 'campaigns' },
  },
  { path: '/api/contacts', access: 'tenant' },
  { path: '/api/contacts/bulk', access: 'tenant' },
  { path: '/api/contacts/export', access: 'tenant' },
  { path: '/api/contacts/import', access: 'tenant', acceptsUploads: true },
  { path: '/api/contacts/imports', access: 'tenant', match: 'prefix' },
  // Last of the contacts routes: /api/contacts/:id (findRoute takes the first match).
  { path: '/api/contacts', access: 'tenant', match: 'prefix' },
  { path: '/api/campaigns/csv-template', access: 'tenant' },
  { path: '/api/campaigns/upload-csv', access: 'tenant', acceptsUploads: true },
  { path: '/api/campaigns', access: 'tenant', match: 'prefix' },
  { path: '/api/queue', access: 'tenant', match: 'prefix' },
  { path: '/api/sync/status', access: 'tenant' },
  // Server-Sent Events for the workspace (campaign progress, imports, syncs).
  { path: '/api/events', access: 'tenant' },
  { path: '/api/dashboard/leads', access: 'tenant' },
  { path: '/api/dashboard/pipeline', access: 'tenant' },
  { path: '/api/dashboard/hot-list', access: 'tenant' },
  { path: '/api/dashboard/notes', access: 'tenant' },
  { path: '/api/dashboard/schedule', access: 'tenant' },
  { path: '/api/analytics/dashboard', access: 'tenant' },
  { path: '/api/analytics/calls', access: 'tenant' },
  { path: '/api/sync/trigger', access: 'tenant', minRole: 'admin', acceptsForms: true },
  {
    path: '/settings',
    access: 'tenant',
    minRole: 'admin',
    nav: { label: 'Settings', icon: 'settings' },
  },
  { path: '/api/settings/clienttether', access: 'tenant', minRole: 'admin', acceptsForms: true },
  {
    path: '/api/settings/clienttether/test',
    access: 'tenant',
    minRole: 'admin',
    acceptsForms: true,
  },
  { path: '/api/settings/hot-list', access: 'tenant', minRole: 'admin', acceptsForms: true },
  { path: '/api/settings/concurrency', access: 'user' },
  // Platform administration (issue 9): pages, and JSON APIs that also take plain form posts.
  { path: '/admin', access: 'platform-admin', match: 'prefix' },
  { path: '/api/admin', access: 'platform-admin', match: 'prefix', acceptsForms: true },
  {
    path: '/settings/team',
    access: 'tenant',
    minRole: 'admin',
    nav: { label: 'Team', icon: 'team' },
  },
  { path: '/api/team', access: 'tenant', minRole: 'admin', match: 'prefix', acceptsForms: true },
  { path: '/profile', access: 'user' },
  { path: '/api/profile', access: 'user', match: 'prefix', acceptsForms: true },
  // Reached from mailed links by people who may not be signed in; the token is the credential.
  { path: '/invite', access: 'public', match: 'prefix' },
  { path: '/reset-password', access: 'public', match: 'prefix' },
  { path: '/forgot-password', access: 'public' },
  { path: '/api/auth/invite', access: 'public', acceptsForms: true },
  { path: '/api/auth/forgot', access: 'public', acceptsForms: true },
  { path: '/api/auth/reset', access: 'public', acceptsForms: true },
  { path: '/api/settings/phone-region', access: 'tenant', minRole: 'admin', acceptsForms: true },
];

const ROLE_RANK: Record<MembershipRole, number> = { member: 0, admin: 1, owner: 2 };

export function hasRole(role: MembershipRole, minRole: MembershipRole | undefined): boolean {
  return !minRole || ROLE_RANK[role] >= ROLE_RANK[minRole];
}

const FALLBACK: RouteDef = { path: '*', access: 'user' };

export function findRoute(pathname: string): RouteDef {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  return (
    ROUTES.find((r) =>
      r.match === 'prefix' ? path === r.path || path.startsWith(`${r.path}/`) : path === r.path,
    ) ?? FALLBACK
  );
}

export function isApiPath(pathname: string): boolean {
  return pathname === '/api' || pathname.startsWith('/api/');
}

export interface NavItem {
  href: string;
  label: string;
  icon: NavIcon;
  active: boolean;
}

/** Navigation entries the current user may open, with the current page marked. */
export function navigationFor(
  pathname: string,
  viewer: { role: MembershipRole | null; isPlatformAdmin: boolean },
): NavItem[] {
  const items = ROUTES.flatMap((r) => {
    if (!r.nav) return [];
    if (r.access === 'platform-admin' && !viewer.isPlatformAdmin) return [];
    if (r.access === 'tenant' && (!viewer.role || !hasRole(viewer.role, r.minRole))) return [];
    const active = pathname === r.path || pathname.startsWith(`${r.path}/`);
    return [{ href: r.path, label: r.nav.label, icon: r.nav.icon, active }];
  });
  // Nested entries (/settings/team under /settings): only the most specific one is current.
  const current = items
    .filter((i) => i.active)
    .reduce<NavItem | undefined>(
      (best, i) => (!best || i.href.length > best.href.length ? i : best),
      undefined,
    );
  return items.map((i) => ({ ...i, active: i === current }));
}
