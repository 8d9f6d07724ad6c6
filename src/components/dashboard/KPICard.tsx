import { useId } from 'react';

export interface KPIDelta {
  /** Preformatted, e.g. "+12% vs last 30 days". */
  text: string;
  direction: 'up' | 'down' | 'flat';
}

export interface KPICardProps {
  label: string;
  /** Preformatted, e.g. "$1.2M" — the page knows the unit and the tenant's conventions. */
  value: string;
  subtitle?: string;
  delta?: KPIDelta;
  loading?: boolean;
  /** The label's heading level; 2 fits cards placed straight under the page's h1. */
  headingLevel?: 2 | 3 | 4;
}

const ARROWS = { up: '▲', down: '▼', flat: '▬' } as const;
const SPOKEN = { up: 'Up', down: 'Down', flat: 'Unchanged' } as const;

/** One headline figure. Server-rendered; no client directive needed. */
export function KPICard({
  label,
  value,
  subtitle,
  delta,
  loading = false,
  headingLevel = 2,
}: KPICardProps) {
  const labelId = useId();
  const Heading = `h${headingLevel}` as const;
  return (
    <article className="kpi-card" aria-labelledby={labelId} aria-busy={loading || undefined}>
      <Heading id={labelId} className="kpi-label">
        {label}
      </Heading>
      {loading ? (
        <>
          <span className="skeleton skeleton-value" aria-hidden="true" />
          <span className="skeleton skeleton-line" aria-hidden="true" />
          <span className="visually-hidden">Loading…</span>
        </>
      ) : (
        <>
          <p className="kpi-value">{value}</p>
          {subtitle && <p className="kpi-subtitle">{subtitle}</p>}
          {delta && (
            <p className={`kpi-delta ${delta.direction}`}>
              <span aria-hidden="true">{ARROWS[delta.direction]}</span>
              <span className="visually-hidden">{SPOKEN[delta.direction]}: </span>
              {delta.text}
            </p>
          )}
        </>
      )}
    </article>
  );
}
