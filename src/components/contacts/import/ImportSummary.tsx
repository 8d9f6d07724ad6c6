import type { ContactImportView } from '../../../lib/contacts/types';
import { formatNumber } from '../../../lib/format/numbers';
import { errorReportUrl } from './import-api';
import { errorReportLabel } from './import-labels';

export interface ImportSummaryProps {
  job: ContactImportView;
  headingId: string;
}

/** What a finished import did: the four counts, the error report and, for a failure, why. */
export function ImportSummary({ job, headingId }: ImportSummaryProps) {
  const failed = job.status === 'failed';
  const counts = [
    { label: 'New contacts', value: job.inserted, tone: 'ok' },
    { label: 'Updated', value: job.updated, tone: '' },
    { label: 'Duplicates', value: job.duplicates, tone: '' },
    { label: 'Invalid rows', value: job.invalid, tone: job.invalid > 0 ? 'warn' : '' },
  ];
  return (
    <div className={`import-summary ${failed ? 'failed' : 'completed'}`}>
      <h3 id={headingId} className="import-summary-title">
        {failed ? 'Import failed' : 'Import complete'}
        <span className="muted import-summary-file"> — {job.fileName}</span>
      </h3>
      {failed && (
        <p className="alert error">
          {job.errorMessage ?? 'The import stopped before it finished.'}
          {job.processedRows > 0 && ' Rows processed before the failure were kept.'}
        </p>
      )}
      <dl className="import-counts">
        {counts.map((c) => (
          <div key={c.label} className={`import-count ${c.tone}`}>
            <dt>{c.label}</dt>
            <dd className="num">{formatNumber(c.value)}</dd>
          </div>
        ))}
      </dl>
      {job.errorCount > 0 && (
        <p>
          <a className="button secondary small" href={errorReportUrl(job.id)} download>
            {errorReportLabel(job)}
          </a>
          <span className="muted"> Each line says which row was rejected and why.</span>
        </p>
      )}
    </div>
  );
}
