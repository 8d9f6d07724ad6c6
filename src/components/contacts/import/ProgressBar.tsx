import { useId } from 'react';

export interface ProgressBarProps {
  label: string;
  /** 0–100; null while the total is unknown (an indeterminate bar). */
  percent: number | null;
  /** What the numbers mean, e.g. "1.2 MB of 4 MB"; read out with the percentage. */
  detail: string;
}

/** A labelled progress bar with its percentage in text, not only in the bar's length. */
export function ProgressBar({ label, percent, detail }: ProgressBarProps) {
  const labelId = useId();
  const text = percent === null ? detail : `${percent}% · ${detail}`;
  return (
    <div className="import-progress">
      <div className="import-progress-head">
        <span id={labelId} className="import-progress-label">
          {label}
        </span>
        <span className="import-progress-text num">{text}</span>
      </div>
      <div
        className={`import-progress-track${percent === null ? ' indeterminate' : ''}`}
        role="progressbar"
        aria-labelledby={labelId}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={text}
      >
        <span
          className="import-progress-fill"
          style={percent === null ? undefined : { width: `${percent}%` }}
        />
      </div>
    </div>
  );
}
