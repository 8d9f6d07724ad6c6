import type { ServerResponse } from 'node:http';
import type { LiveEvent, LiveHub } from './hub';

export interface EventStreamOptions {
  hub: LiveHub;
  tenantId: string;
  campaignId: string | null;
  lastEventId: string | null;
  /** The request's signal: aborted when the client goes away. */
  signal: AbortSignal;
  heartbeatMs: number;
  /** The reconnect delay browsers are told to use. */
  retryMs: number;
  /** A client that leaves more than this unread is dropped. */
  maxBufferedBytes: number;
  /** The Node response, to see what the client has not taken yet (response-tracker.ts); undefined: unwatchable. */
  response: ServerResponse | undefined;
  log?: (message: string, error?: unknown) => void;
}

const encoder = new TextEncoder();
const HEARTBEAT = encoder.encode(': heartbeat\n\n');
/** A live event goes to many subscribers: encode it once. */
const frames = new WeakMap<LiveEvent, Uint8Array>();

export function encodeEvent(event: LiveEvent): Uint8Array {
  let frame = frames.get(event);
  if (!frame) {
    frame = encoder.encode(
      `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`,
    );
    frames.set(event, frame);
  }
  return frame;
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  // Proxies such as nginx would otherwise hold events back in their buffers.
  'x-accel-buffering': 'no',
};

/**
 * A text/event-stream response fed by the hub. It holds no database
 * connection between events; it ends when the client goes away (the
 * request's signal), when the hub can't serve it, or when the client falls
 * `maxBufferedBytes` behind, and then leaves nothing registered behind it.
 */
export function openEventStream(options: EventStreamOptions): Response {
  const { response } = options;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  let unsubscribe: (() => void) | null = null;
  let heartbeat: NodeJS.Timeout | null = null;

  function teardown() {
    if (closed) return;
    closed = true;
    if (heartbeat) clearInterval(heartbeat);
    options.signal.removeEventListener('abort', teardown);
    unsubscribe?.();
    unsubscribe = null;
  }

  function end() {
    if (closed) return;
    teardown();
    try {
      controller.close();
    } catch {
      // already closed by the reader's cancel
    }
  }

  /** Drops a client that doesn't keep up: its unread data is freed at once. */
  function drop() {
    end();
    response?.destroy();
  }

  function write(chunk: Uint8Array) {
    if (closed) return;
    if (response && response.writableLength > options.maxBufferedBytes) {
      drop();
      return;
    }
    controller.enqueue(chunk);
  }

  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      if (!response) {
        // A request that began before this module loaded can't be watched for
        // back-pressure: it is served until its first heartbeat, then told to
        // come back at once (resuming from its Last-Event-ID) on a watched one.
        const reconnect = () => {
          if (!closed) controller.enqueue(encoder.encode('retry: 250\n: reconnect\n\n'));
          end();
        };
        setTimeout(reconnect, options.heartbeatMs).unref();
      }
      controller.enqueue(encoder.encode(`retry: ${options.retryMs}\n: connected\n\n`));
      if (options.signal.aborted) return end();
      options.signal.addEventListener('abort', teardown, { once: true });
      heartbeat = setInterval(() => write(HEARTBEAT), options.heartbeatMs);
      options.hub
        .subscribe(
          {
            tenantId: options.tenantId,
            campaignId: options.campaignId,
            send: (event) => write(encodeEvent(event)),
            fail: () => end(),
          },
          options.lastEventId,
        )
        .then((close) => {
          if (closed) close();
          else unsubscribe = close;
        })
        .catch((error) => {
          options.log?.('could not open a live event stream', error);
          end();
        });
    },
    cancel() {
      teardown();
    },
  });
  return new Response(body, { status: 200, headers: SSE_HEADERS });
}
