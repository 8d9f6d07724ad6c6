/** An SSE reader over fetch, for tests: events as parsed frames, and the heartbeat comments. */

export interface Frame {
  id: string;
  event: string;
  data: unknown;
}

export interface EventStream {
  frames: Frame[];
  state: { heartbeats: number; status: number; ended: boolean };
  opened: Promise<void>;
  close: () => void;
}

export function openEventStream(
  url: string | URL,
  cookie: string,
  headers: Record<string, string> = {},
): EventStream {
  const controller = new AbortController();
  const frames: Frame[] = [];
  const state = { heartbeats: 0, status: 0, ended: false };
  const opened = fetch(url, {
    headers: { cookie, accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  }).then(async (response) => {
    state.status = response.status;
    if (!response.body || response.status !== 200) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
          if (block.startsWith(': heartbeat')) state.heartbeats += 1;
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((l) => !l.startsWith(':') && l.includes(': '))
              .map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]),
          );
          if (fields.event)
            frames.push({
              id: fields.id ?? '',
              event: fields.event,
              data: JSON.parse(fields.data ?? 'null'),
            });
        }
      }
    } catch {
      // aborted by the test
    }
    state.ended = true;
  });
  return { frames, state, opened, close: () => controller.abort() };
}
