import { type SubmitEvent, useEffect, useId, useRef, useState } from 'react';
import type { AppError } from '../../../lib/api/result';
import type { ContactImportView, ImportMode } from '../../../lib/contacts/types';
import { describeApiError } from '../../shared/handle-api-error';
import { CsvPreviewTable } from './CsvPreviewTable';
import { type CsvPreview, readPreview } from './csv-preview';
import { FilePicker } from './FilePicker';
import { ImportHistory } from './ImportHistory';
import { ImportProgress } from './ImportProgress';
import { ImportSummary } from './ImportSummary';
import { fetchImportHistory, isActive, type Upload, uploadImport } from './import-api';
import { describeOutcome, formatBytes } from './import-labels';
import type { Stage } from './import-stage';
import { ModeChoice } from './ModeChoice';
import { TemplateLinks } from './TemplateLinks';
import { useImportPolling } from './use-import-polling';

export interface CsvImportProps {
  /** The page's reading of recent imports; without it the island asks the API. */
  initialHistory?: ContactImportView[];
  /** The tenant's time zone, for dates in the history. */
  timeZone: string;
  /** Files over this are refused before uploading (the server enforces its own limit). */
  maxBytes?: number;
  pollMs?: number;
}

type PreviewState = CsvPreview | 'loading' | 'empty' | 'unreadable' | null;

export const DEFAULT_MAX_BYTES = 100 * 1024 * 1024;

/** Uploads a contacts CSV with progress, follows its processing, and lists recent imports. An island: `client:load`. */
export function CsvImport({
  initialHistory,
  timeZone,
  maxBytes = DEFAULT_MAX_BYTES,
  pollMs = 1000,
}: CsvImportProps) {
  const ids = { upload: useId(), history: useId(), summary: useId() };
  const [ready, setReady] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<PreviewState>(null);
  const [mode, setMode] = useState<ImportMode>('skip');
  const [stage, setStage] = useState<Stage>({ kind: 'choose' });
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [history, setHistory] = useState<ContactImportView[]>(initialHistory ?? []);
  const upload = useRef<Upload | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const summary = useRef<HTMLDivElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const chosenFile = useRef<File | null>(null);
  const refocusInput = useRef(false);

  const refreshHistory = () =>
    fetchImportHistory().then((result) => {
      if (result.ok) setHistory(result.data);
    });
  const remember = (job: ContactImportView) =>
    setHistory((jobs) => [job, ...jobs.filter((j) => j.id !== job.id)]);

  // Controls stay disabled until hydrated: without JavaScript they could not upload.
  useEffect(() => setReady(true), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, on mount
  useEffect(() => {
    if (!initialHistory) refreshHistory();
    return () => upload.current?.abort();
  }, []);

  const finish = (job: ContactImportView) => {
    setStage({ kind: 'finished', job });
    setAnnouncement(describeOutcome(job));
    remember(job);
    refreshHistory();
  };

  const processingId = stage.kind === 'processing' ? stage.job.id : null;
  useImportPolling(processingId, pollMs, {
    onUpdate: (job) => {
      if (!isActive(job)) return finish(job);
      setStage({ kind: 'processing', job });
      remember(job);
    },
    onError: (e: AppError) => {
      setStage({ kind: 'choose' });
      setError(
        `Lost track of the import: ${describeApiError(e)} Its result appears below once you reload.`,
      );
    },
  });

  // Focus follows the step, since the button pressed is replaced: Cancel while uploading,
  // the summary when an import ends, the file input after "Import another file".
  useEffect(() => {
    if (stage.kind === 'uploading') cancel.current?.focus();
    else if (stage.kind === 'finished') summary.current?.focus();
    else if (refocusInput.current) input.current?.focus();
    refocusInput.current = false;
  }, [stage.kind]);

  const chooseFile = async (chosen: File) => {
    chosenFile.current = chosen;
    setFile(chosen);
    setError(null);
    if (chosen.size > maxBytes) {
      setPreview(null);
      setError(
        `${chosen.name} is ${formatBytes(chosen.size)}, over the ${formatBytes(maxBytes)} limit. Split it into smaller files.`,
      );
      return;
    }
    setPreview('loading');
    let next: PreviewState;
    try {
      next = (await readPreview(chosen)) ?? 'empty';
    } catch {
      next = 'unreadable';
    }
    if (chosenFile.current !== chosen) return; // another file was chosen meanwhile
    setPreview(next);
    setAnnouncement(
      typeof next === 'object' && next
        ? `${chosen.name} selected: ${next.headers.length} columns.${next.phoneColumn === -1 ? ' Warning: no phone column found.' : ''}`
        : `${chosen.name} selected.`,
    );
  };

  const startImport = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!file || stage.kind !== 'choose') return;
    setError(null);
    setStage({ kind: 'uploading', loaded: 0, total: file.size, sent: false });
    setAnnouncement(`Uploading ${file.name}…`);
    const current = uploadImport(file, mode, {
      onProgress: (loaded, total) =>
        setStage((s) => (s.kind === 'uploading' ? { ...s, loaded, total } : s)),
      onSent: () => {
        setStage((s) => (s.kind === 'uploading' ? { ...s, loaded: s.total, sent: true } : s));
        setAnnouncement('Upload complete. Checking the file…');
      },
    });
    upload.current = current;
    const result = await current.done;
    upload.current = null;
    if (result === null) {
      setStage({ kind: 'choose' });
      setAnnouncement('Upload cancelled.');
    } else if (!result.ok) {
      setStage({ kind: 'choose' });
      setError(describeApiError(result.error));
    } else if (isActive(result.data)) {
      setStage({ kind: 'processing', job: result.data });
      setAnnouncement(`${file.name} uploaded. Importing its rows…`);
      remember(result.data);
    } else finish(result.data);
  };

  const reset = () => {
    chosenFile.current = null;
    setFile(null);
    setPreview(null);
    setError(null);
    setStage({ kind: 'choose' });
    setAnnouncement('');
    refocusInput.current = true;
  };

  const busy = stage.kind === 'uploading' || stage.kind === 'processing';
  const tooLarge = file !== null && file.size > maxBytes;
  return (
    <div className="csv-import">
      <section className="card" aria-labelledby={ids.upload}>
        <h2 id={ids.upload}>Upload a file</h2>
        <TemplateLinks />
        {error && (
          <div className="alert error" role="alert">
            {error}
          </div>
        )}
        {stage.kind === 'finished' ? (
          <div ref={summary} tabIndex={-1} className="import-result">
            <ImportSummary job={stage.job} headingId={ids.summary} />
            <button type="button" className="button" onClick={reset}>
              Import another file
            </button>
          </div>
        ) : (
          <form className="csv-import-form" onSubmit={startImport}>
            <FilePicker
              file={file}
              disabled={!ready || busy}
              maxBytes={maxBytes}
              onFile={chooseFile}
              inputRef={input}
            />
            {file && preview === 'loading' && <p className="muted">Reading the first rows…</p>}
            {file && preview === 'empty' && (
              <p className="alert warning">{file.name} looks empty: no header row was found.</p>
            )}
            {file && preview === 'unreadable' && (
              <p className="alert warning">Couldn’t read {file.name} for a preview.</p>
            )}
            {file && typeof preview === 'object' && preview && (
              <CsvPreviewTable preview={preview} fileName={file.name} />
            )}
            <ModeChoice mode={mode} disabled={!ready || busy} onChange={setMode} />
            <ImportProgress stage={stage} />
            <div className="csv-import-actions">
              {stage.kind === 'uploading' ? (
                <button
                  ref={cancel}
                  type="button"
                  className="button secondary"
                  onClick={() => upload.current?.abort()}
                  disabled={stage.sent}
                >
                  Cancel upload
                </button>
              ) : (
                <button
                  type="submit"
                  className="button"
                  disabled={!ready || !file || busy || tooLarge}
                >
                  {stage.kind === 'processing' ? 'Importing…' : 'Import contacts'}
                </button>
              )}
            </div>
          </form>
        )}
        <p className="visually-hidden" role="status" aria-live="polite">
          {announcement}
        </p>
      </section>
      <section className="card" aria-labelledby={ids.history}>
        <h2 id={ids.history}>Recent imports</h2>
        <ImportHistory imports={history} timeZone={timeZone} />
      </section>
    </div>
  );
}
