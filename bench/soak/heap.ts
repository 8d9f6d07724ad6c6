/**
 * SOAK_HEAP=1: each process runs with --inspect, and every minute the soak
 * asks it over the inspector protocol to collect garbage, then reads its V8
 * heap in use. RSS includes heap the collector has not given back yet; the
 * heap after a full collection is what a leak would grow. (Each reading costs
 * the process a full collection once a minute.)
 */

export interface HeapProbe {
  /** MB of V8 heap in use after a full collection; null if the process can't be asked. */
  afterGc: () => Promise<number | null>;
  close: () => void;
}

export async function connectHeapProbe(inspectorUrl: string): Promise<HeapProbe> {
  const socket = new WebSocket(inspectorUrl);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('inspector refused')), { once: true });
  });
  let nextId = 1;
  const waiting = new Map<number, (result: Record<string, unknown>) => void>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as {
      id?: number;
      result?: Record<string, unknown>;
    };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result ?? {});
  });
  const call = (method: string) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const id = nextId++;
      waiting.set(id, (result) => {
        waiting.delete(id);
        resolve(result);
      });
      socket.send(JSON.stringify({ id, method }));
    });
  return {
    afterGc: async () => {
      if (socket.readyState !== WebSocket.OPEN) return null;
      await call('HeapProfiler.collectGarbage');
      const usage = await call('Runtime.getHeapUsage');
      return Math.round(Number(usage.usedSize ?? 0) / 1048576);
    },
    close: () => socket.close(),
  };
}
