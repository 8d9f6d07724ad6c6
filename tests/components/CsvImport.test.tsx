// @vitest-environment jsdom
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { renderToString } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CsvImport } from '../../src/components/contacts/import/CsvImport';
import type { ContactImportView } from '../../src/lib/contacts/types';
import { settle } from './dom';

/** XMLHttpRequest as the island uses it; the test plays the network. */
class FakeXhr {
  static last: FakeXhr | undefined;
  upload: {
    onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null;
    onload: (() => void) | null;
  } = { onprogress: null, onload: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  status = 0;
  responseText = '';
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: FormData | null = null;
  aborted = false;

  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name.toLowerCase()] = value;
  }
  send(body: FormData) {
    this.body = body;
    FakeXhr.last = this;
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  progress(loaded: number, total: number) {
    act(() => this.upload.onprogress?.({ loaded, total, lengthComputable: true }));
  }
  async respond(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    act(() => this.upload.onload?.());
    await act(async () => this.onload?.());
  }
}

const job = (over: Partial<ContactImportView> = {}): ContactImportView => ({
  id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  fileName: 'contacts.csv',
  fileSize: 2048,
  mode: 'skip',
  status: 'pending',
  totalRows: null,
  processedRows: 0,
  inserted: 0,
  updated: 0,
  duplicates: 0,
  invalid: 0,
  errorCount: 0,
  errorMessage: null,
  createdAt: '2026-03-02T15:00:00.000Z',
  startedAt: null,
  finishedAt: null,
  ...over,
});

const older = job({
  id: '11111111-1111-4111-8111-111111111111',
  fileName: 'last-week.csv',
  status: 'completed',
  totalRows: 10,
  processedRows: 10,
  inserted: 10,
});

type Poll = ContactImportView | { status: number; body: unknown };

/** The API's answers: each poll takes the next import state (the last repeats); a promise holds it back. */
function serve(options: { polls?: (Poll | Promise<Poll>)[]; history?: ContactImportView[] } = {}) {
  const polls = [...(options.polls ?? [])];
  const fetch = vi.fn(async (url: string) => {
    if (url.startsWith('/api/contacts/imports?')) {
      return answer(200, { ok: true, data: { imports: options.history ?? [] } });
    }
    const next = await (polls.length > 1 ? polls.shift() : polls[0]);
    if (next && 'body' in next) return answer(next.status, next.body);
    return answer(200, { ok: true, data: { import: next } });
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}
/** A poll answer the test releases when it is ready to see it. */
function held() {
  let release = (_: Poll) => {};
  const poll = new Promise<Poll>((resolve) => {
    release = resolve;
  });
  return { poll, release };
}

const answer = (status: number, body: unknown) =>
  ({ status, ok: status < 300, text: async () => JSON.stringify(body) }) as Response;

const csv = (text: string, name = 'contacts.csv') => new File([text], name, { type: 'text/csv' });

async function choose(file: File) {
  const input = screen.getByLabelText('Choose a CSV file');
  fireEvent.change(input, { target: { files: [file] } });
  await waitFor(() => expect(screen.queryByText('Reading the first rows…')).toBeNull());
  return input;
}

async function renderIsland(props: Partial<Parameters<typeof CsvImport>[0]> = {}) {
  render(<CsvImport initialHistory={[older]} timeZone="America/New_York" pollMs={5} {...props} />);
  await settle();
}

const importButton = () => screen.getByRole('button', { name: 'Import contacts' });

beforeEach(() => {
  FakeXhr.last = undefined;
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
  serve();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('CsvImport: before hydration', () => {
  it('renders the history and working template links, with the upload controls disabled', () => {
    const html = renderToString(<CsvImport initialHistory={[older]} timeZone="America/New_York" />);
    expect(html).toMatch(/<input[^>]*type="file"[^>]*disabled=""/);
    expect(html).toMatch(
      /<button type="submit" class="button" disabled="">Import contacts<\/button>/,
    );
    expect(html).toContain('href="/api/campaigns/csv-template?type=basic"');
    expect(html).toContain('last-week.csv');
    expect(html).toContain('Mar 2, 2026, 10:00 AM');
  });
});

describe('CsvImport: choosing a file', () => {
  it('offers a labelled CSV file input, the template downloads and the history', async () => {
    await renderIsland();
    const input = screen.getByLabelText('Choose a CSV file');
    expect(input).toHaveAttribute('type', 'file');
    expect(input).toHaveAttribute('accept', '.csv,text/csv');
    expect(input).toBeEnabled();
    expect(importButton()).toBeDisabled();
    expect(screen.getByRole('link', { name: 'Basic template' })).toHaveAttribute(
      'href',
      '/api/campaigns/csv-template?type=basic',
    );
    expect(screen.getByRole('link', { name: 'Advanced template' })).toHaveAttribute(
      'href',
      '/api/campaigns/csv-template?type=advanced',
    );
    const history = screen.getByRole('table', { name: 'Recent imports' });
    expect(within(history).getByText('last-week.csv')).toBeInTheDocument();
    expect(within(history).getByText('Completed')).toHaveClass('badge', 'ok');
  });

  it('previews the header and the first five rows of the chosen file', async () => {
    await renderIsland();
    const rows = Array.from({ length: 8 }, (_, i) => `Person ${i},+1415555010${i}`);
    await choose(csv(['name,phone', ...rows].join('\n')));
    const table = screen.getByRole('table', { name: /Header and first rows of contacts\.csv/ });
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((th) => th.textContent);
    expect(headers).toEqual(['name', 'phone phone']);
    expect(within(table).getAllByRole('row')).toHaveLength(6);
    expect(within(table).getByText('+14155550100')).toBeInTheDocument();
    expect(within(table).queryByText('Person 5')).toBeNull();
    expect(screen.getByText(/2 columns, separated by commas/)).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('contacts.csv selected: 2 columns.');
    expect(importButton()).toBeEnabled();
  });

  it('strips a UTF-8 byte order mark from the first header', async () => {
    await renderIsland();
    await choose(csv('\uFEFFname,phone\nAda,+14155550101\n'));
    const [first] = within(
      screen.getByRole('table', { name: /Header and first rows/ }),
    ).getAllByRole('columnheader');
    expect(first?.textContent).toBe('name');
  });

  it('reads semicolon-separated files', async () => {
    await renderIsland();
    await choose(csv('Name;Mobile;Company\n"Byron; Ada";+14155550101;Example, Inc.\n'));
    expect(screen.getByText(/3 columns, separated by semicolons/)).toBeInTheDocument();
    const table = screen.getByRole('table', { name: /Header and first rows/ });
    expect(within(table).getByText('Byron; Ada')).toBeInTheDocument();
    expect(within(table).getByText('Example, Inc.')).toBeInTheDocument();
  });

  it('warns when no column looks like a phone number, but lets the server decide', async () => {
    await renderIsland();
    await choose(csv('name,email\nAda,ada@example.com\n'));
    expect(screen.getByText(/no phone column/i, { selector: '.alert' })).toHaveClass('warning');
    expect(screen.getByRole('status')).toHaveTextContent('Warning: no phone column found.');
    expect(importButton()).toBeEnabled();
  });

  it('takes a file dropped on the drop zone', async () => {
    await renderIsland();
    const zone = screen.getByText(/or drag and drop it here/).parentElement as HTMLElement;
    const file = csv('phone\n+14155550101\n', 'dropped.csv');
    fireEvent.dragOver(zone, { dataTransfer: { types: ['Files'], files: [file] } });
    expect(zone).toHaveClass('dragging');
    fireEvent.drop(zone, { dataTransfer: { types: ['Files'], files: [file] } });
    await waitFor(() => expect(screen.getByText('dropped.csv')).toBeInTheDocument());
    expect(zone).not.toHaveClass('dragging');
    await waitFor(() => expect(screen.getByText('+14155550101')).toBeInTheDocument());
  });

  it('refuses a file over the size limit before uploading it', async () => {
    await renderIsland({ maxBytes: 10 });
    await choose(csv('name,phone\nAda,+14155550101\n'));
    expect(screen.getByRole('alert')).toHaveTextContent('over the 10 bytes limit');
    expect(importButton()).toBeDisabled();
  });

  it('asks whether to skip or update existing contacts, skipping by default', async () => {
    await renderIsland();
    const group = screen.getByRole('group', {
      name: 'When a phone number is already in your contacts',
    });
    const skip = within(group).getByRole('radio', { name: 'Skip contacts that already exist' });
    const update = within(group).getByRole('radio', { name: 'Update existing contacts' });
    expect(skip).toBeChecked();
    fireEvent.click(update);
    expect(update).toBeChecked();
    expect(skip).not.toBeChecked();
  });
});

describe('CsvImport: importing', () => {
  async function startUpload(mode: 'skip' | 'update' = 'skip') {
    await renderIsland();
    const file = csv('name,phone\nAda,+14155550101\n');
    await choose(file);
    if (mode === 'update')
      fireEvent.click(screen.getByRole('radio', { name: 'Update existing contacts' }));
    fireEvent.click(importButton());
    const xhr = FakeXhr.last;
    if (!xhr) throw new Error('no upload started');
    return { xhr, file };
  }

  it('posts multipart form data with the mode before the file', async () => {
    const { xhr, file } = await startUpload('update');
    expect(xhr.method).toBe('POST');
    expect(xhr.url).toBe('/api/contacts/import');
    expect(xhr.headers.accept).toBe('application/json');
    const parts = [...(xhr.body?.entries() ?? [])];
    expect(parts.map(([name]) => name)).toEqual(['mode', 'file']);
    expect(parts[0]?.[1]).toBe('update');
    expect(parts[1]?.[1]).toBeInstanceOf(File);
    expect((parts[1]?.[1] as File | undefined)?.name).toBe(file.name);
    expect(screen.getByLabelText('Choose a CSV file')).toBeDisabled();
  });

  it('shows upload progress, then row progress, then the summary with the error report', async () => {
    const id = job().id;
    const finished = job({
      status: 'completed',
      totalRows: 200,
      processedRows: 200,
      inserted: 150,
      updated: 0,
      duplicates: 47,
      invalid: 3,
      errorCount: 3,
      finishedAt: '2026-03-02T15:00:05.000Z',
    });
    const running = held();
    const done = held();
    const fetch = serve({ polls: [running.poll, done.poll], history: [finished, older] });
    const { xhr } = await startUpload();
    expect(screen.getByRole('status')).toHaveTextContent('Uploading contacts.csv…');

    xhr.progress(512, 2048);
    const upload = screen.getByRole('progressbar', { name: 'Uploading' });
    expect(upload).toHaveAttribute('aria-valuenow', '25');
    expect(upload).toHaveAttribute('aria-valuemax', '100');
    expect(screen.getByText('25% · 512 bytes of 2.0 KB')).toBeInTheDocument();

    await xhr.respond(202, { ok: true, data: { import: job() } });
    const rows = screen.getByRole('progressbar', { name: 'Importing rows' });
    expect(rows).not.toHaveAttribute('aria-valuenow');
    expect(screen.getByRole('status')).toHaveTextContent(
      'contacts.csv uploaded. Importing its rows…',
    );

    running.release(job({ status: 'running', totalRows: 200, processedRows: 50 }));
    await waitFor(() => expect(rows).toHaveAttribute('aria-valuenow', '25'));
    expect(screen.getByText('25% · 50 of 200 rows')).toBeInTheDocument();
    done.release(finished);

    await waitFor(() =>
      expect(screen.getByRole('heading', { name: /Import complete/ })).toBeInTheDocument(),
    );
    expect(fetch).toHaveBeenCalledWith(`/api/contacts/imports/${id}`, expect.anything());
    const counts = Object.fromEntries(
      [...document.querySelectorAll('.import-count')].map((c) => [
        c.querySelector('dt')?.textContent,
        c.querySelector('dd')?.textContent,
      ]),
    );
    expect(counts).toEqual({
      'New contacts': '150',
      Updated: '0',
      Duplicates: '47',
      'Invalid rows': '3',
    });
    expect(
      screen.getByRole('link', { name: 'Download the error report (3 rows)' }),
    ).toHaveAttribute('href', `/api/contacts/imports/${id}/errors.csv`);
    expect(screen.getByRole('status')).toHaveTextContent(
      'Import of contacts.csv complete: 150 new, 0 updated, 47 duplicates, 3 invalid.',
    );
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(document.querySelector('.import-result')).toHaveFocus();

    await waitFor(() =>
      expect(fetch).toHaveBeenCalledWith('/api/contacts/imports?limit=20', expect.anything()),
    );
    const history = screen.getByRole('table', { name: 'Recent imports' });
    expect(within(history).getAllByRole('row')).toHaveLength(3);
    expect(
      within(history).getByRole('link', { name: /3 rows rejected from contacts\.csv/ }),
    ).toHaveAttribute('href', `/api/contacts/imports/${id}/errors.csv`);
  });

  it('stops polling once the import has finished', async () => {
    const fetch = serve({
      polls: [job({ status: 'completed', totalRows: 1, processedRows: 1, inserted: 1 })],
    });
    const { xhr } = await startUpload();
    await xhr.respond(202, { ok: true, data: { import: job() } });
    await waitFor(() =>
      expect(screen.getByRole('heading', { name: /Import complete/ })).toBeInTheDocument(),
    );
    const polls = () => fetch.mock.calls.filter(([url]) => !url.includes('?')).length;
    const before = polls();
    await act(() => new Promise((r) => setTimeout(r, 50)));
    expect(polls()).toBe(before);
    expect(screen.queryByRole('link', { name: /error report/ })).toBeNull();
  });

  it('says why a failed import failed', async () => {
    const failed = job({
      status: 'failed',
      totalRows: 10,
      processedRows: 4,
      inserted: 4,
      errorMessage: 'The file changed while it was being read.',
    });
    serve({ polls: [failed], history: [failed] });
    const { xhr } = await startUpload();
    await xhr.respond(202, { ok: true, data: { import: job() } });
    await waitFor(() =>
      expect(screen.getByRole('heading', { name: /Import failed/ })).toBeInTheDocument(),
    );
    expect(
      screen.getByText(/The file changed while it was being read\./, { selector: '.alert' }),
    ).toBeInTheDocument();
    expect(screen.getByText(/Rows processed before the failure were kept/)).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByText('Failed', { selector: '.badge' })).toHaveClass('danger'),
    );
  });

  it("shows the server's refusal in an alert and lets the user try again", async () => {
    const { xhr } = await startUpload();
    await xhr.respond(400, {
      ok: false,
      error: { code: 'VALIDATION', message: 'The file has no phone column.', retryable: false },
    });
    expect(screen.getByRole('alert')).toHaveTextContent('The file has no phone column.');
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(importButton()).toBeEnabled();
  });

  it('explains a 413 even without a JSON body', async () => {
    const { xhr } = await startUpload();
    xhr.status = 413;
    xhr.responseText = '<html>Request Entity Too Large</html>';
    await act(async () => xhr.onload?.());
    expect(screen.getByRole('alert')).toHaveTextContent('The file is too large to import.');
  });

  it('reports a dropped connection', async () => {
    const { xhr } = await startUpload();
    await act(async () => xhr.onerror?.());
    expect(screen.getByRole('alert')).toHaveTextContent('The upload was interrupted.');
  });

  it('cancels the upload', async () => {
    const { xhr } = await startUpload();
    expect(screen.getByRole('button', { name: 'Cancel upload' })).toHaveFocus();
    xhr.progress(100, 2048);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Cancel upload' }));
    });
    expect(xhr.aborted).toBe(true);
    expect(screen.getByRole('status')).toHaveTextContent('Upload cancelled.');
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(importButton()).toBeEnabled();
  });

  it('cannot cancel once the whole file has been sent', async () => {
    const { xhr } = await startUpload();
    act(() => xhr.upload.onload?.());
    expect(screen.getByRole('button', { name: 'Cancel upload' })).toBeDisabled();
    expect(screen.getByRole('progressbar', { name: /Upload complete/ })).toHaveAttribute(
      'aria-valuenow',
      '100',
    );
  });

  it('shows an alert when the import can no longer be followed', async () => {
    serve({
      polls: [
        {
          status: 404,
          body: {
            ok: false,
            error: { code: 'NOT_FOUND', message: 'Import not found.', retryable: false },
          },
        },
      ],
    });
    const { xhr } = await startUpload();
    await xhr.respond(202, { ok: true, data: { import: job() } });
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('Import not found.'));
  });

  it('starts over with "Import another file"', async () => {
    serve({ polls: [job({ status: 'completed', totalRows: 1, processedRows: 1, inserted: 1 })] });
    const { xhr } = await startUpload();
    await xhr.respond(202, { ok: true, data: { import: job() } });
    const again = await screen.findByRole('button', { name: 'Import another file' });
    fireEvent.click(again);
    // Focus follows the step once React has committed it (an effect), not within the click.
    await waitFor(() => expect(screen.getByLabelText('Choose a CSV file')).toHaveFocus());
    expect(importButton()).toBeDisabled();
    expect(screen.queryByRole('table', { name: /Header and first rows/ })).toBeNull();
  });
});

describe('CsvImport: history', () => {
  it('loads the history from the API when the page gave none', async () => {
    const fetch = serve({ history: [older] });
    render(<CsvImport timeZone="UTC" />);
    await settle();
    expect(fetch).toHaveBeenCalledWith('/api/contacts/imports?limit=20', expect.anything());
    expect(screen.getByText('last-week.csv')).toBeInTheDocument();
  });

  it('says when there are no imports yet', async () => {
    await renderIsland({ initialHistory: [] });
    expect(screen.getByText(/No imports yet/)).toBeInTheDocument();
  });
});
