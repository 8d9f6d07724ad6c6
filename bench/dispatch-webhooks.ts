/**
 * The dispatch bench's call provider, other end: a worker thread that plays
 * the provider's side of each accepted call and the web server's webhook
 * route. After the call's duration it "completes" the call through
 * recordCallEvent (the route's own function, on a pool of its own), then
 * reports when the webhook arrived and when its transaction committed. A
 * thread of its own, as the web server is a process of its own in
 * production, so the dispatcher's event loop is measured alone.
 */
import { readlinkSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { recordCallEvent } from '../src/lib/calls/record-call-event';
import { connectDatabase, type Database } from '../src/lib/db/client';
import { describeError } from '../src/lib/log/describe-error';

export interface CompleteCall {
  type: 'call';
  tenantId: string;
  rowId: number;
  executionId: string;
  delayMs: number;
}

export interface Completed {
  type: 'completed';
  rowId: number;
  /** Wall-clock ms (timeOrigin + now), comparable across threads. */
  received: number;
  committed: number;
  applied: string | null;
  error: string | null;
}

export interface WebhookWorkerData {
  role: 'webhooks';
  url: string;
  pool: number;
}

const clock = () => performance.timeOrigin + performance.now();

/** Completes one call through the webhook route's function and says what happened when. */
export async function completeCall(db: Database, call: CompleteCall): Promise<Completed> {
  const received = clock();
  let applied: string | null = null;
  let error: string | null = null;
  try {
    const result = await recordCallEvent(db, call.tenantId, 'simulated', {
      id: call.executionId,
      status: 'completed',
      conversation_duration: 1,
      telephony_data: { duration: 1 },
    });
    if (result.ok) applied = result.data.applied;
    else error = result.error.message;
  } catch (e) {
    error = describeError(e);
  }
  return { type: 'completed', rowId: call.rowId, received, committed: clock(), applied, error };
}

const port = parentPort;
if (port && (workerData as WebhookWorkerData | null)?.role === 'webhooks') {
  const { url, pool } = workerData as WebhookWorkerData;
  const database = connectDatabase(url, { max: pool });
  port.on('message', (message: CompleteCall | { type: 'close' }) => {
    if (message.type === 'call') {
      setTimeout(() => {
        void completeCall(database.db, message).then((done) => port.postMessage(done));
      }, message.delayMs);
      return;
    }
    void database.close().then(() => port.close());
  });
  // The thread's id, so the main thread can read its CPU time from /proc.
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  port.postMessage({ type: 'ready', tid });
}
