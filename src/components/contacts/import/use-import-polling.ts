import { useEffect, useRef } from 'react';
import type { AppError } from '../../../lib/api/result';
import type { ContactImportView } from '../../../lib/contacts/types';
import { fetchImport, isActive } from './import-api';

export interface ImportPollingHandlers {
  onUpdate: (job: ContactImportView) => void;
  /** A refusal (signed out, the import gone); polling stops. Network blips are retried. */
  onError: (error: AppError) => void;
}

/**
 * Follows import `id` every `pollMs` until it completes or fails. One request
 * at a time: the next is scheduled only when the last has answered.
 */
export function useImportPolling(
  id: string | null,
  pollMs: number,
  handlers: ImportPollingHandlers,
) {
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });

  useEffect(() => {
    if (!id) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const result = await fetchImport(id, controller.signal);
        if (controller.signal.aborted) return;
        if (result.ok) {
          latest.current.onUpdate(result.data);
          if (!isActive(result.data)) return;
        } else if (!result.error.retryable) {
          latest.current.onError(result.error);
          return;
        }
      } catch {
        return; // aborted: unmounted or a new import
      }
      timer = setTimeout(tick, pollMs);
    };
    timer = setTimeout(tick, pollMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [id, pollMs]);
}
