import type { CountryCode } from 'libphonenumber-js';
import { useEffect, useState } from 'react';
import { CsvPreviewTable } from '../contacts/import/CsvPreviewTable';
import { type CsvPreview, readPreview } from '../contacts/import/csv-preview';
import { FilePicker } from '../contacts/import/FilePicker';
import { TemplateLinks } from '../contacts/import/TemplateLinks';
import { checkPreviewPhones } from './phone-checks';

export interface CsvStepProps {
  file: File | null;
  onFile: (file: File | null) => void;
  region: CountryCode;
  maxBytes: number;
  ready: boolean;
}

/**
 * The "Upload CSV" tab: a template, the file, a preview of its first rows with
 * the phone numbers the import would reject (and what they probably meant).
 * The whole file is checked on the server when the campaign is created.
 */
export function CsvStep({ file, onFile, region, maxBytes, ready }: CsvStepProps) {
  const [preview, setPreview] = useState<CsvPreview | null | 'loading'>(null);
  useEffect(() => {
    let live = true;
    if (!file) {
      setPreview(null);
      return;
    }
    setPreview('loading');
    readPreview(file).then(
      (p) => live && setPreview(p),
      () => live && setPreview(null),
    );
    return () => {
      live = false;
    };
  }, [file]);
  const checks = preview && preview !== 'loading' ? checkPreviewPhones(preview, region) : [];
  const tooLarge = file !== null && file.size > maxBytes;
  return (
    <div className="csv-step">
      <TemplateLinks />
      <FilePicker file={file} disabled={!ready} maxBytes={maxBytes} onFile={onFile} />
      {tooLarge && (
        <p className="alert error" role="alert">
          {file.name} is over the upload limit. Split it into smaller files.
        </p>
      )}
      {preview === 'loading' && <p className="muted">Reading the first rows…</p>}
      {file && preview && preview !== 'loading' && (
        <CsvPreviewTable preview={preview} fileName={file.name} />
      )}
      {checks.length > 0 && (
        <div className="alert warning phone-checks" role="status">
          <p>
            These rows have phone numbers the import will reject; they are reported by line and
            skipped, the rest are called:
          </p>
          <ul>
            {checks.map((c) => (
              <li key={c.line}>
                Line {c.line}: “{c.raw}”: {c.message}.
                {c.suggestion && (
                  <>
                    {' '}
                    Did you mean <span className="mono">{c.suggestion}</span>?
                  </>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
