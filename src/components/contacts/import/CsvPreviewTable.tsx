import type { CsvPreview } from './csv-preview';

export interface CsvPreviewTableProps {
  preview: CsvPreview;
  fileName: string;
}

const DELIMITER_NAMES = { ',': 'commas', ';': 'semicolons', '\t': 'tabs' } as const;

/** The file's header and first rows as the browser read them, with what looks wrong. */
export function CsvPreviewTable({ preview, fileName }: CsvPreviewTableProps) {
  const { headers, rows, phoneColumn, phoneProblem, delimiter, notUtf8, notCsv } = preview;
  if (notCsv) {
    return (
      <div className="csv-preview">
        <h3 className="csv-preview-title">Preview</h3>
        <p className="alert warning csv-preview-warning">{notCsv}</p>
      </div>
    );
  }
  return (
    <div className="csv-preview">
      <h3 className="csv-preview-title">Preview</h3>
      <p className="muted">
        {headers.length} column{headers.length === 1 ? '' : 's'}, separated by{' '}
        {DELIMITER_NAMES[delimiter]}.{' '}
        {rows.length === 0
          ? 'No data rows found after the header.'
          : `The first ${rows.length} row${rows.length === 1 ? '' : 's'}:`}
      </p>
      {phoneProblem && (
        <p className="alert warning csv-preview-warning">
          {phoneProblem.replace(/[.\s]+$/, '')}. You can still try the import; the server checks the
          whole file.
        </p>
      )}
      {notUtf8 && (
        <p className="alert warning csv-preview-warning">
          Some characters can’t be read, so the file may not be UTF-8. In Excel, save it as “CSV
          UTF-8”.
        </p>
      )}
      <section
        className="table-wrap csv-preview-table"
        aria-label={`Preview of ${fileName}`}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: keyboard users must be able to scroll a wide preview
        tabIndex={0}
      >
        <table className="table">
          <caption className="visually-hidden">Header and first rows of {fileName}</caption>
          <thead>
            <tr>
              {headers.map((header, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional and may repeat a name
                <th key={i} scope="col" className={i === phoneColumn ? 'phone-column' : undefined}>
                  {header || <span className="muted">(blank)</span>}
                  {i === phoneColumn && (
                    <>
                      {' '}
                      <span className="badge ok csv-preview-badge">phone</span>
                    </>
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, r) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a static preview; rows never reorder
              <tr key={r}>
                {row.map((cell, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: as above
                  <td key={i} className={i === phoneColumn ? 'phone-column' : undefined}>
                    {cell}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
