import type { ContactImportView } from '../../../lib/contacts/types';
import { formatDateTime } from '../../../lib/format/datetime';
import { formatNumber } from '../../../lib/format/numbers';
import { type Column, DataTable } from '../../dashboard/DataTable';
import { errorReportUrl } from './import-api';
import { STATUS_BADGES, STATUS_LABELS } from './import-labels';

export interface ImportHistoryProps {
  imports: ContactImportView[];
  /** The tenant's time zone, for the dates. */
  timeZone: string;
}

const count = (key: 'inserted' | 'updated' | 'duplicates' | 'invalid', header: string) => ({
  key,
  header,
  align: 'right' as const,
  render: (job: ContactImportView) => formatNumber(job[key]),
});

/** Recent imports, newest first: what each file did and its error report. */
export function ImportHistory({ imports, timeZone }: ImportHistoryProps) {
  const columns: Column<ContactImportView>[] = [
    {
      key: 'fileName',
      header: 'File',
      render: (job) => <span className="import-history-file">{job.fileName}</span>,
    },
    {
      key: 'createdAt',
      header: 'Date',
      render: (job) => (
        <time dateTime={job.createdAt}>{formatDateTime(job.createdAt, timeZone)}</time>
      ),
    },
    {
      key: 'status',
      header: 'Status',
      render: (job) => (
        <span className={STATUS_BADGES[job.status]}>{STATUS_LABELS[job.status]}</span>
      ),
    },
    {
      key: 'totalRows',
      header: 'Rows',
      align: 'right',
      render: (job) => formatNumber(job.totalRows),
    },
    count('inserted', 'New'),
    count('updated', 'Updated'),
    count('duplicates', 'Duplicates'),
    count('invalid', 'Invalid'),
    {
      key: 'errors',
      header: 'Error report',
      render: (job) =>
        job.errorCount > 0 ? (
          <a href={errorReportUrl(job.id)} download>
            {`${formatNumber(job.errorCount)} row${job.errorCount === 1 ? '' : 's'} `}
            <span className="visually-hidden">rejected from {job.fileName}, download CSV</span>
          </a>
        ) : (
          <span className="muted">—</span>
        ),
    },
  ];
  return (
    <DataTable
      caption="Recent imports"
      columns={columns}
      rows={imports}
      rowKey={(job) => job.id}
      emptyMessage="No imports yet. Files you import appear here with their results."
    />
  );
}
