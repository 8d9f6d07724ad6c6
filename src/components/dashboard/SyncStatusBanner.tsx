import { useEffect, useState } from 'react';
import type { SyncStatus } from '../../lib/sync/status';
import { describeSync } from './sync-banner-state';

export interface SyncStatusBannerProps {
  /** The page's server-side reading, so the banner is right before (and without) JavaScript. */
  initial?: SyncStatus | null;
  pollMs?: number;
  /** The clock, for tests. Not serialisable: leave it out in .astro pages. */
  now?: () => Date;
}

const ICONS = { fresh: '✓', stale: '!', failed: '✕', running: '↻', never: '–', unknown: '…' };

async function fetchStatus(signal: AbortSignal): Promise<SyncStatus | null> {
  const res = await fetch('/api/sync/status', { headers: { accept: 'application/json' }, signal });
  if (!res.ok) return null;
  const body = (await res.json()) as { ok: boolean; data?: SyncStatus };
  return body.ok && body.data ? body.data : null;
}

/** How fresh the dashboards' data is. An island: use with `client:load`. */
export function SyncStatusBanner({
  initial = null,
  pollMs = 60_000,
  now = () => new Date(),
}: SyncStatusBannerProps) {
  const [status, setStatus] = useState<SyncStatus | null>(initial);

  useEffect(() => {
    const controller = new AbortController();
    const poll = () => {
      // A background tab needn't ask; the next visible tick catches up.
      if (document.visibilityState === 'hidden') return;
      fetchStatus(controller.signal).then(
        (next) => {
          if (next) setStatus(next);
        },
        () => {
          // Offline or a deploy in progress: keep showing the last known state.
        },
      );
    };
    poll();
    const timer = setInterval(poll, pollMs);
    return () => {
      clearInterval(timer);
      controller.abort();
    };
  }, [pollMs]);

  const { tone, text, actionable } = describeSync(status, now());
  return (
    <div className={`sync-banner ${tone}`} role="status" aria-live="polite">
      <span className="sync-banner-icon" aria-hidden="true">
        {ICONS[tone]}
      </span>
      {/* "12 minutes ago" is computed on both server and client; a minute apart is expected. */}
      <span className="sync-banner-text" suppressHydrationWarning>
        {text}
      </span>
      {actionable && (
        <a className="sync-banner-action" href="/settings">
          Sync settings
        </a>
      )}
    </div>
  );
}
