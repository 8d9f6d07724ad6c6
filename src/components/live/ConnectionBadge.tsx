import type { LiveState } from './useLiveEvents';
import './connection-badge.css';

const LABELS: Record<LiveState, { text: string; hint: string }> = {
  live: { text: 'Live', hint: 'Figures update as calls finish.' },
  connecting: { text: 'Connecting…', hint: 'Figures are from when the page loaded.' },
  reconnecting: {
    text: 'Reconnecting…',
    hint: 'The live connection dropped; figures may be out of date.',
  },
  polling: {
    text: 'Updating periodically',
    hint: 'Live updates are unavailable; figures refresh every few seconds.',
  },
};

/** Says whether the figures beside it are live, so stale numbers never pass for current ones. */
export function ConnectionBadge({ state }: { state: LiveState }) {
  const { text, hint } = LABELS[state];
  return (
    <span className={`connection-badge ${state}`} role="status" aria-live="polite" title={hint}>
      <span className="connection-badge-dot" aria-hidden="true" />
      {text}
      <span className="visually-hidden"> — {hint}</span>
    </span>
  );
}
