/**
 * The contacts island's fetch client: the same Result the routes answer, so
 * every failure (a 409, a dropped connection) is a value the UI can show.
 */
import type { Result } from '../../lib/api/result';
import type { BulkResult } from '../../lib/contacts/bulk-contacts';
import type { ContactList } from '../../lib/contacts/list-contacts';
import type {
  BulkContactsInput,
  ContactSort,
  ContactSortDirection,
  CreateContactInput,
  UpdateContactInput,
} from '../../lib/contacts/schemas';
import type { ContactView } from '../../lib/contacts/types';
import { callApi } from '../shared/api-client';

export interface ListParams {
  q?: string;
  sort: ContactSort;
  dir: ContactSortDirection;
  after?: string | null;
  limit?: number;
}

/** Every call goes through the islands' shared client (one error vocabulary, see handleApiError). */
function call<T>(path: string, init: { method?: string; json?: unknown } = {}): Promise<Result<T>> {
  return callApi<T>(path, init);
}

/** `?q&sort&dir&after` as the page and the API read it; blanks are left out. */
export function listQuery(params: ListParams): string {
  const search = new URLSearchParams();
  if (params.q) search.set('q', params.q);
  search.set('sort', params.sort);
  search.set('dir', params.dir);
  if (params.after) search.set('after', params.after);
  if (params.limit) search.set('limit', String(params.limit));
  return search.toString();
}

export const contactsApi = {
  list: (params: ListParams) => call<ContactList>(`/api/contacts?${listQuery(params)}`),
  create: (input: CreateContactInput) =>
    call<ContactView>('/api/contacts', { method: 'POST', json: input }),
  update: (id: number, input: UpdateContactInput) =>
    call<ContactView>(`/api/contacts/${id}`, { method: 'PATCH', json: input }),
  remove: (id: number) => call<{ id: number }>(`/api/contacts/${id}`, { method: 'DELETE' }),
  bulk: (input: BulkContactsInput) =>
    call<BulkResult>('/api/contacts/bulk', { method: 'POST', json: input }),
};
export type ContactsApi = typeof contactsApi;
