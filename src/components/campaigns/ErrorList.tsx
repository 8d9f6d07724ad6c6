import type { CampaignProgressError } from '../../lib/campaigns/progress';

/** The newest call errors of a campaign (at most five), newest first. */
export function ErrorList({
  errors,
  timeZone,
}: {
  errors: CampaignProgressError[];
  timeZone: string;
}) {
  if (errors.length === 0) return <p className="muted">No call errors so far.</p>;
  const time = new Intl.DateTimeFormat('en-US', { timeStyle: 'medium', timeZone });
  return (
    <ol className="error-list">
      {errors.slice(0, 5).map((e, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: two errors may share a time and text
        <li key={`${e.at}-${i}`}>
          <time dateTime={e.at}>{time.format(new Date(e.at))}</time>
          <span>
            {e.contactName && <strong>{e.contactName}: </strong>}
            {e.message}
          </span>
        </li>
      ))}
    </ol>
  );
}
