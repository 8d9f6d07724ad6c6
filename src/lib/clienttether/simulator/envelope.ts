import type { SimRecord } from './types';

/** What a route answers; rendered into CT's envelope by `renderEnvelope`. */
export interface ApiResult {
  /** The numeric part of CT's result code: 200, 515, 501… */
  code: number;
  message: string;
  /** Present on reads: total matches across all pages, and this page. */
  total?: number;
  data?: SimRecord[] | SimRecord[][];
  /** Extra top-level fields some documented responses carry. */
  extra?: Record<string, unknown>;
  /** Responses the doc samples show as {"resultCode":"CT200",…} whatever the mode. */
  docSampleCasing?: boolean;
}

export const MESSAGES: Record<number, string> = {
  200: 'Success',
  400: 'Bad Request',
  404: 'Request Not Found',
  500: 'Unknown Error',
  501: 'Missing Required Key:Value Pair(s)',
  515: 'No Record Found',
};

export const ok = (total: number, data: SimRecord[] | SimRecord[][]): ApiResult => ({
  code: 200,
  message: 'Success',
  total,
  data,
});
export const fail = (code: number, extra?: Record<string, unknown>): ApiResult => ({
  code,
  message: MESSAGES[code] ?? 'Unknown Error',
  ...(extra ? { extra } : {}),
});

/**
 * standard: {"ResultCode":"CT_200","Message":…,"TotalRecord":3,"data":[…]} (S4);
 * quirky: {"resultCode":"CT200",…,"TotalRecord":"3"} as in the doc samples S7 quotes.
 */
export function renderEnvelope(result: ApiResult, mode: 'standard' | 'quirky'): string {
  const quirky = mode === 'quirky';
  const body: Record<string, unknown> =
    quirky || result.docSampleCasing
      ? { resultCode: `CT${result.code}` }
      : { ResultCode: `CT_${result.code}` };
  body.Message = result.message;
  if (result.total !== undefined) body.TotalRecord = quirky ? String(result.total) : result.total;
  if (result.data !== undefined) body.data = result.data;
  Object.assign(body, result.extra);
  return JSON.stringify(body);
}
