import { useId } from 'react';
import { formatNumber } from '../../lib/format/numbers';
import { type ProgressCounts, progressOf } from './progress-math';

export interface CampaignProgressBarProps extends ProgressCounts {
  label?: string;
}

/** Calls done of all calls, as a bar and in words. */
export function CampaignProgressBar({ total, done, label = 'Progress' }: CampaignProgressBarProps) {
  const labelId = useId();
  const figures = progressOf({ total, done });
  const text = `${figures.percent}% · ${formatNumber(figures.done)} of ${formatNumber(figures.total)} calls done`;
  return (
    <div className="campaign-progress">
      <div className="campaign-progress-head">
        <span id={labelId}>{label}</span>
        <span className="num campaign-progress-text">{text}</span>
      </div>
      <div
        className="campaign-progress-track"
        role="progressbar"
        aria-labelledby={labelId}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={figures.percent}
        aria-valuetext={text}
      >
        <span className="campaign-progress-fill" style={{ width: `${figures.percent}%` }} />
      </div>
    </div>
  );
}
