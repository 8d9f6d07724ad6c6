import { formatPercent } from '../../lib/format/numbers';

export type LikelihoodBand = 'hot' | 'warm' | 'cool' | 'cold' | 'unknown';

/** Bands by likelihood to close (0–100), the CRM's own stage weighting. */
export function likelihoodBand(likelihood: number | null | undefined): LikelihoodBand {
  if (likelihood == null || !Number.isFinite(likelihood)) return 'unknown';
  if (likelihood >= 75) return 'hot';
  if (likelihood >= 50) return 'warm';
  if (likelihood >= 25) return 'cool';
  return 'cold';
}

export interface StageBadgeProps {
  stage: string;
  /** Percent, 0–100; colours the badge and is shown after the stage. */
  likelihood?: number | null;
}

/** A pipeline stage, coloured by how likely deals in it are to close. */
export function StageBadge({ stage, likelihood }: StageBadgeProps) {
  const band = likelihoodBand(likelihood);
  return (
    <span className={`stage-badge ${band}`}>
      <span className="stage-badge-dot" aria-hidden="true" />
      {stage}
      {band !== 'unknown' && (
        <span className="stage-badge-pct">
          <span className="visually-hidden">, likelihood </span>
          {formatPercent((likelihood ?? 0) / 100)}
        </span>
      )}
    </span>
  );
}
