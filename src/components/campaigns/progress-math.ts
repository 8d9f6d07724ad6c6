/** The counts a progress bar needs, from a campaign view or a live progress snapshot. */
export interface ProgressCounts {
  total: number;
  /** Calls in a final state: completed, failed, cancelled or skipped. */
  done: number;
}

export interface ProgressFigures extends ProgressCounts {
  /** 0–100, whole; 100 only when every call is done, so a bar never looks finished early. */
  percent: number;
}

const whole = (n: number) => (Number.isFinite(n) && n > 0 ? Math.floor(n) : 0);

export function progressOf({ total, done }: ProgressCounts): ProgressFigures {
  const t = whole(total);
  const d = Math.min(whole(done), t);
  if (t === 0) return { total: 0, done: 0, percent: 0 };
  const percent = d === t ? 100 : Math.min(99, Math.floor((d / t) * 100));
  return { total: t, done: d, percent };
}

/** A CampaignView's counters → the bar's counts. */
export function doneOf(counts: {
  completed: number;
  failed: number;
  cancelled: number;
  skipped: number;
}): number {
  return counts.completed + counts.failed + counts.cancelled + counts.skipped;
}
