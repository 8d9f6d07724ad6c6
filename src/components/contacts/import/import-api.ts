/**
 * The island's client for the import API. Answers are the server's Result
 * shapes; transport failures become errors in the same vocabulary, so the UI
 * has one kind of failure to show.
 */
import { type AppError, fail, ok, type Result } from '../../../lib/api/result';
import type { ContactImportView, ImportMode } from '../../../lib/contacts/types';
import { NETWORK_FAILURE } from '../../shared/api-client';

export const IMPORT_URL = '/api/contacts/import';
export const HISTORY_LIMIT = 20;

export const importUrl = (id: string) => `/api/contacts/imports/${encodeURIComponent(id)}`;
export const errorReportUrl = (id: string) => `${importUrl(id)}/errors.csv`;

/** Still moving: the island keeps polling these. */
export const isActive = (job: ContactImportView) =>
  job.status === 'pending' || job.status === 'running';

function isAppError(value: unknown): value is AppError {
  const error = value as AppError | null;
  return typeof error?.code === 'string' && typeof error.message === 'string';
}

/** A Result from a response body, or a generic failure naming the HTTP status. */
export function readResult<T>(status: number, body: unknown): Result<T> {
  const parsed = body as { ok?: boolean; data?: T; error?: unknown } | null;
  if (parsed?.ok === true && parsed.data !== undefined && status < 300) return ok(parsed.data);
  if (parsed?.ok === false && isAppError(parsed.error)) return { ok: false, error: parsed.error };
  if (status === 413) return fail('PAYLOAD_TOO_LARGE', 'The file is too large to import.');
  return fail('INTERNAL', `The server answered unexpectedly (HTTP ${status}). Try again.`);
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

async function getJson<T>(url: string, signal?: AbortSignal): Promise<Result<T>> {
  try {
    const res = await fetch(url, { headers: { accept: 'application/json' }, signal });
    return readResult<T>(res.status, parseJson(await res.text()));
  } catch (error) {
    if (signal?.aborted) throw error;
    return { ok: false, error: NETWORK_FAILURE };
  }
}

export async function fetchImport(id: string, signal?: AbortSignal) {
  const result = await getJson<{ import: ContactImportView }>(importUrl(id), signal);
  return result.ok ? ok(result.data.import) : result;
}

export async function fetchImportHistory(signal?: AbortSignal) {
  const url = `/api/contacts/imports?limit=${HISTORY_LIMIT}`;
  const result = await getJson<{ imports: ContactImportView[] }>(url, signal);
  return result.ok ? ok(result.data.imports) : result;
}

export interface UploadCallbacks {
  onProgress: (loaded: number, total: number) => void;
  /** The last byte left the browser; the server is now checking the file. */
  onSent?: () => void;
}

export interface Upload {
  /** Resolves with the accepted import or the refusal; `null` once aborted. */
  done: Promise<Result<ContactImportView> | null>;
  abort: () => void;
}

/**
 * Posts the file with XMLHttpRequest, the only browser API that reports
 * upload progress. `mode` goes before `file` so the server knows it before
 * it starts streaming the file to disk.
 */
export function uploadImport(file: File, mode: ImportMode, callbacks: UploadCallbacks): Upload {
  const xhr = new XMLHttpRequest();
  const done = new Promise<Result<ContactImportView> | null>((resolve) => {
    xhr.upload.onprogress = (e) =>
      callbacks.onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.upload.onload = () => callbacks.onSent?.();
    xhr.onload = () => {
      const result = readResult<{ import: ContactImportView }>(
        xhr.status,
        parseJson(xhr.responseText),
      );
      resolve(result.ok ? ok(result.data.import) : result);
    };
    xhr.onerror = () =>
      resolve({
        ok: false,
        error: {
          ...NETWORK_FAILURE,
          message: 'The upload was interrupted. Check your connection and try again.',
        },
      });
    xhr.onabort = () => resolve(null);
  });
  const form = new FormData();
  form.append('mode', mode);
  form.append('file', file, file.name);
  xhr.open('POST', IMPORT_URL);
  xhr.setRequestHeader('accept', 'application/json');
  xhr.send(form);
  return { done, abort: () => xhr.abort() };
}
