/** Every status Bolna reports for an execution (call-providers.md §1.5), in the order a call passes them. */
export const BOLNA_STATUSES = [
  'scheduled',
  'queued',
  'rescheduled',
  'initiated',
  'ringing',
  'in-progress',
  'call-disconnected',
  'completed',
  'balance-low',
  'busy',
  'no-answer',
  'canceled',
  'failed',
  'stopped',
  'error',
] as const;
export type BolnaStatus = (typeof BOLNA_STATUSES)[number];

export interface PlaceCallInput {
  agentId: string;
  /** E.164. */
  to: string;
  from: string | null;
  /** Our call_queue row id + attempt, sent in user_data as `switchboard_call_id` so a lost response can be found again. */
  callRef: string;
  userData: Record<string, string>;
}

export const PLACE_CALL_FAILURES = [
  'retryable',
  'rate_limited',
  'auth',
  'invalid_number',
  'balance_low',
  'fatal',
] as const;
export type PlaceCallFailure = (typeof PLACE_CALL_FAILURES)[number];

export type PlaceCallResult =
  | { ok: true; executionId: string }
  | {
      ok: false;
      failure: PlaceCallFailure;
      /** Secret-free: safe to store and show. */
      message: string;
      retryAfterMs?: number;
      /**
       * The request may have reached the provider, which may have placed the
       * call (a timeout, a connection cut mid-request, a 2xx without an id):
       * it must be looked up before the row is dialled again.
       */
      unconfirmed?: boolean;
    };

export interface ExecutionSnapshot {
  executionId: string;
  status: BolnaStatus;
  durationSeconds: number | null;
  raw: unknown;
}

export type LookupResult =
  /** execution null = not found. */
  { ok: true; execution: ExecutionSnapshot | null } | { ok: false; message: string };

export interface CallProvider {
  readonly name: 'bolna' | 'simulated';
  placeCall(input: PlaceCallInput, signal?: AbortSignal): Promise<PlaceCallResult>;
  getExecution(executionId: string): Promise<LookupResult>;
  /**
   * Finds the execution we started for `callRef` (after a crash lost the response): Bolna
   * `GET /v2/agent/{agentId}/executions?from&to` matched on context_details/user_data
   * switchboard_call_id. `ok: false` means "could not tell", so the caller must not redial.
   */
  findExecutionByRef(agentId: string, callRef: string, since: Date): Promise<LookupResult>;
  stopCall(executionId: string): Promise<{ ok: boolean; message?: string }>;
}

/** The user_data key that carries `PlaceCallInput.callRef`. */
export const CALL_REF_KEY = 'switchboard_call_id';
