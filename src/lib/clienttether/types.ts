import { z } from 'zod';

/*
 * ClientTether sends every scalar as a string (clienttether-api.md §3), so the
 * conversion happens here, once. Every schema is loose: fields we don't model
 * are kept, because the raw page is what the sync stores and re-reads.
 */

/** An id: required and non-empty; a number (some PHP endpoints) becomes its string. */
const ctId = z.union([z.string().min(1), z.number().finite()]).transform(String);

/** Free text. PHP answers `null` or `false` for "nothing", which we treat as absent. */
const ctText = z
  .union([z.string(), z.number().finite(), z.null(), z.literal(false)])
  .transform((value) => (value === null || value === false ? undefined : String(value)))
  .optional();

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/** Money, percent or order: '' and anything unreadable become null rather than failing the record. */
const ctNumber = z
  .unknown()
  .optional() // zod 4 rejects a missing key under a bare unknown→transform
  .transform((value): number | null => {
    if (typeof value === 'number') return Number.isFinite(value) ? value : null;
    if (typeof value !== 'string') return null;
    const trimmed = value.trim();
    return NUMERIC.test(trimmed) ? Number(trimmed) : null;
  });

/** 'YYYY-MM-DD HH:MM:SS' in an unknown zone: kept verbatim, the sync converts it in SQL. */
const ctDateTime = ctText;

export const CTClient = z
  .object({
    client_id: ctId,
    external_id: ctText,
    firstName: ctText,
    lastName: ctText,
    compName: ctText,
    email: ctText,
    phone: ctText,
    address: ctText,
    city: ctText,
    state: ctText,
    zip: ctText,
    whiteboard: ctText,
    deal_size: ctNumber,
    clients_sales_cycle: ctText,
    clients_lead_source: ctText,
    clients_action_plan: ctText,
    contact_type: ctText,
    assigned_user: ctText,
    created: ctDateTime,
    last_modified_date: ctDateTime,
  })
  .loose();
export type CTClient = z.infer<typeof CTClient>;

/** What read_client_exist answers on a hit. */
export const CTClientRef = z.object({ client_id: ctId, external_id: ctText }).loose();
export type CTClientRef = z.infer<typeof CTClientRef>;

export const CTOpportunity = z
  .object({
    opportunity_id: ctId,
    // client_id, opportunity_name and units are inferred fields (§6.3), so optional.
    client_id: ctText,
    opportunity_name: ctText,
    firstName: ctText,
    lastName: ctText,
    compName: ctText,
    contact_sales_cycle: ctText,
    deal_size: ctNumber,
    units: ctNumber.optional(),
    contact_lead_source: ctText,
    contact_action_plan: ctText,
    contact_type: ctText,
    assigned_user: ctText,
    created: ctDateTime,
    last_modified_date: ctDateTime,
  })
  .loose();
export type CTOpportunity = z.infer<typeof CTOpportunity>;

export const CTSalesCycle = z
  .object({
    sales_cycle_id: ctId,
    sales_cycle_name: ctText,
    sales_cycle_active_status: ctText,
    sales_cycle_order: ctNumber,
    likelihood_to_close: ctNumber,
    contact_type: ctText,
    contact_type_name: ctText,
  })
  .loose();
export type CTSalesCycle = z.infer<typeof CTSalesCycle>;

export const CTLeadSource = z.object({ lead_source_id: ctId, lead_source_name: ctText }).loose();
export type CTLeadSource = z.infer<typeof CTLeadSource>;

export const CTActionPlan = z.object({ action_plan_id: ctId, action_plan_name: ctText }).loose();
export type CTActionPlan = z.infer<typeof CTActionPlan>;

export const CTUser = z
  .object({
    user_id: ctId,
    user_first_name: ctText,
    user_last_name: ctText,
    user_email: ctText,
  })
  .loose();
export type CTUser = z.infer<typeof CTUser>;

/** The event shape is inferred (§6.6): only the id is certain. */
export const CTEvent = z
  .object({
    event_id: ctId,
    client_id: ctText,
    user_id: ctText,
    event_type: ctText,
    event_title: ctText,
    event_notes: ctText,
    start_date: ctDateTime,
    end_date: ctDateTime,
    status: ctText,
  })
  .loose();
export type CTEvent = z.infer<typeof CTEvent>;

/** The history-note shape is inferred (§6.7): only the id is certain. */
export const CTHistoryNote = z
  .object({
    history_id: ctId,
    client_id: ctText,
    user_id: ctText,
    note_type: ctText,
    note: ctText,
    created: ctDateTime,
  })
  .loose();
export type CTHistoryNote = z.infer<typeof CTHistoryNote>;

export type ApiErrorKind =
  | 'auth'
  | 'api'
  | 'http'
  | 'network'
  | 'timeout'
  | 'rate_limited'
  | 'invalid_response'
  /** The caller gave up (its AbortSignal fired): not ClientTether's fault, never retried. */
  | 'aborted';

export interface ApiError {
  kind: ApiErrorKind;
  message: string;
  status?: number;
  resultCode?: string;
  retryable: boolean;
  endpoint: string;
}

export type ApiResponse<T> =
  | { ok: true; data: T; total: number; invalid: number }
  | { ok: false; error: ApiError };

export interface Page<T> {
  page: number;
  offset: number;
  total: number;
  records: T[];
  invalid: number;
  /** The parsed JSON body exactly as received, for the raw snapshot. */
  raw: unknown;
}

export type PagedResource = 'clients' | 'opportunities' | 'events';
