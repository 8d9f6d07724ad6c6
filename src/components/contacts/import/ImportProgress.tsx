import { formatNumber } from '../../../lib/format/numbers';
import { formatBytes, percentOf } from './import-labels';
import type { Stage } from './import-stage';
import { ProgressBar } from './ProgressBar';

/** The upload's bytes while sending, then the rows processed; nothing otherwise. */
export function ImportProgress({ stage }: { stage: Stage }) {
  if (stage.kind === 'uploading') {
    return (
      <ProgressBar
        label={stage.sent ? 'Upload complete — checking the file' : 'Uploading'}
        percent={percentOf(stage.loaded, stage.total)}
        detail={`${formatBytes(stage.loaded)} of ${formatBytes(stage.total)}`}
      />
    );
  }
  if (stage.kind !== 'processing') return null;
  const { processedRows, totalRows } = stage.job;
  return (
    <ProgressBar
      label="Importing rows"
      percent={totalRows === null ? null : percentOf(processedRows, totalRows)}
      detail={
        totalRows === null
          ? 'Waiting to start…'
          : `${formatNumber(processedRows)} of ${formatNumber(totalRows)} rows`
      }
    />
  );
}
