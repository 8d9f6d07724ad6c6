/** The campaign islands' client: the existing JSON API, answered as Results. */
import type { CampaignView } from '../../lib/campaigns/campaign-view';
import type { CampaignProgress } from '../../lib/campaigns/progress';
import type { ContactList } from '../../lib/contacts/list-contacts';
import { type ApiResult, callApi } from '../shared/api-client';
import type { CampaignAction } from './campaign-status';

const base = (id: string) => `/api/campaigns/${encodeURIComponent(id)}`;

export const progressUrl = (id: string) => `${base(id)}/progress`;

export interface ConcurrencyView {
  user: { limit: number; inFlight: number };
  system: { limit: number; inFlight: number };
}

export const campaignsApi = {
  act(id: string, action: CampaignAction): Promise<ApiResult<CampaignView | { id: string }>> {
    if (action === 'delete') return callApi(base(id), { method: 'DELETE' });
    return callApi(`${base(id)}/${action}`, { method: 'POST', json: {} });
  },
  create: (body: unknown) => callApi<CampaignView>('/api/campaigns', { json: body }),
  bulkCall: (body: unknown) => callApi<CampaignView>('/api/campaigns/bulk-call', { json: body }),
  update: (id: string, body: unknown) =>
    callApi<CampaignView>(base(id), { method: 'PATCH', json: body }),
  progress: (id: string) => callApi<CampaignProgress>(progressUrl(id)),
  contacts: (params: { q?: string; after?: string | null; limit?: number }) => {
    const search = new URLSearchParams({ sort: 'name', dir: 'asc' });
    if (params.q) search.set('q', params.q);
    if (params.after) search.set('after', params.after);
    search.set('limit', String(params.limit ?? 25));
    return callApi<ContactList>(`/api/contacts?${search}`);
  },
  concurrency: () => callApi<ConcurrencyView>('/api/settings/concurrency'),
  queueStatistics: () => callApi<{ averageCallSeconds: number | null }>('/api/queue/statistics'),
};
export type CampaignsApi = typeof campaignsApi;
