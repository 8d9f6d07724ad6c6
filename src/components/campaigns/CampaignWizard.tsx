import type { CountryCode } from 'libphonenumber-js';
import { useEffect, useId, useRef, useState } from 'react';
import type { CampaignView } from '../../lib/campaigns/campaign-view';
import type { ContactImportView } from '../../lib/contacts/types';
import { ImportSummary } from '../contacts/import/ImportSummary';
import { callApi } from '../shared/api-client';
import { ErrorNotice } from '../shared/ErrorNotice';
import { handleApiError } from '../shared/handle-api-error';
import { ContactPicker, type PickedContacts } from './ContactPicker';
import { CsvStep } from './CsvStep';
import { type CampaignsApi, type ConcurrencyView, campaignsApi } from './campaigns-api';
import { ReviewStep } from './ReviewStep';
import { SettingsForm } from './SettingsForm';
import {
  defaultDraft,
  fromServerFields,
  fromUploadMessage,
  type SettingsBody,
  type SettingsDraft,
  type SettingsErrors,
  validateSettings,
} from './settings-draft';

export interface CampaignWizardProps {
  timeZone: string;
  region: CountryCode;
  /** Contacts chosen on /contacts ("Call selected"): the wizard opens at step 2 with them. */
  preselected?: number[];
  maxBytes?: number;
  api?: CampaignsApi;
  /** Where to go once created (the detail page); replaceable in tests. */
  navigate?: (href: string) => void;
}

type Step = 1 | 2 | 3;
type Source = 'pick' | 'csv';
const STEPS = ['Contacts', 'Settings', 'Review'] as const;

/**
 * Three steps to a campaign: who to call (picked or a CSV), how (settings),
 * and a review with the first call time and the expected duration. The
 * server's field errors come back to step 2, next to their fields.
 */
export function CampaignWizard(props: CampaignWizardProps) {
  const { timeZone, region, preselected = [], maxBytes = 100 * 1024 * 1024 } = props;
  const api = props.api ?? campaignsApi;
  const navigate = props.navigate ?? ((href: string) => window.location.assign(href));
  const id = useId();
  const [step, setStep] = useState<Step>(preselected.length > 0 ? 2 : 1);
  const [source, setSource] = useState<Source>('pick');
  const [picked, setPicked] = useState<PickedContacts>({ kind: 'ids', ids: preselected });
  const [file, setFile] = useState<File | null>(null);
  const [draft, setDraft] = useState<SettingsDraft>(() => defaultDraft(timeZone));
  const [errors, setErrors] = useState<SettingsErrors>({});
  const [contactsError, setContactsError] = useState<string | null>(null);
  const [body, setBody] = useState<SettingsBody | null>(null);
  const [limits, setLimits] = useState<ConcurrencyView | null>(null);
  const [average, setAverage] = useState<number | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [uploaded, setUploaded] = useState<{
    campaign: CampaignView;
    import: ContactImportView;
  } | null>(null);
  const [ready, setReady] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);

  useEffect(() => setReady(true), []);
  // Focus follows the step for keyboard and screen-reader users (not on first render).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the step changes
  useEffect(() => {
    if (moved.current) heading.current?.focus();
    moved.current = true;
  }, [step, uploaded]);
  useEffect(() => {
    if (step !== 3) return;
    void api.concurrency().then((r) => r.ok && setLimits(r.data));
    void api.queueStatistics().then((r) => r.ok && setAverage(r.data.averageCallSeconds));
  }, [step, api]);

  const count = source === 'csv' ? null : picked.kind === 'all' ? picked.count : picked.ids.length;

  const fromContacts = () => {
    if (source === 'csv' ? !file : count === 0) {
      setContactsError(
        source === 'csv' ? 'Choose a CSV file first' : 'Select at least one contact',
      );
      return;
    }
    setContactsError(null);
    setStep(2);
  };
  const fromSettings = () => {
    const checked = validateSettings(draft);
    if (!checked.ok) {
      setErrors(checked.errors);
      focusFirstError();
      return;
    }
    setErrors({});
    setBody(checked.body);
    setStep(3);
  };

  const focusFirstError = () =>
    requestAnimationFrame(() =>
      document.querySelector<HTMLElement>(`[data-wizard="${id}"] [aria-invalid="true"]`)?.focus(),
    );

  const serverRefused = (error: unknown) => {
    const advice = handleApiError(error);
    const fields =
      advice.code === 'VALIDATION'
        ? advice.fields
          ? fromServerFields(advice.fields)
          : fromUploadMessage(advice.message)
        : null;
    if (fields && Object.keys(fields).length > 0) {
      const { contacts, ...settings } = fields;
      if (contacts && Object.keys(settings).length === 0) {
        setContactsError(contacts);
        setStep(1);
        return;
      }
      setErrors(settings);
      setFailure(null);
      setStep(2);
      focusFirstError();
      return;
    }
    setFailure(error);
  };

  const [lastStart, setLastStart] = useState(true);
  const submit = async (start: boolean) => {
    if (!body) return;
    setLastStart(start);
    setSubmitting(true);
    setFailure(null);
    if (source === 'csv' && file) {
      const form = new FormData();
      form.append('campaign', JSON.stringify({ ...body, start }));
      form.append('file', file, file.name);
      const result = await callApi<{ campaign: CampaignView; import: ContactImportView }>(
        '/api/campaigns/upload-csv',
        { body: form },
      );
      setSubmitting(false);
      if (!result.ok) return serverRefused(result.error);
      if (result.data.import.errorCount > 0) return setUploaded(result.data);
      return navigate(`/campaigns/${result.data.campaign.id}`);
    }
    const result =
      picked.kind === 'all'
        ? await api.create({ ...body, start, contacts: { all: true } })
        : await api.bulkCall({ ...body, start, contactIds: picked.ids });
    setSubmitting(false);
    if (!result.ok) return serverRefused(result.error);
    navigate(`/campaigns/${result.data.id}`);
  };

  if (uploaded) {
    return (
      <section className="card wizard" aria-labelledby={`${id}-done`}>
        <h2 id={`${id}-done`} ref={heading} tabIndex={-1}>
          Campaign created: some rows were skipped
        </h2>
        <ImportSummary job={uploaded.import} headingId={`${id}-summary`} />
        <p>
          <a className="button" href={`/campaigns/${uploaded.campaign.id}`}>
            Open “{uploaded.campaign.name}”
          </a>
        </p>
      </section>
    );
  }

  return (
    <section className="card wizard" data-wizard={id} aria-labelledby={`${id}-title`}>
      <ol className="wizard-steps">
        {STEPS.map((label, i) => (
          <li
            key={label}
            aria-current={step === i + 1 ? 'step' : undefined}
            className={step > i + 1 ? 'done' : undefined}
          >
            <span className="wizard-step-number">{i + 1}</span> {label}
          </li>
        ))}
      </ol>
      <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
        Step {step} of 3:{' '}
        {step === 1 ? 'Who to call' : step === 2 ? 'Settings' : 'Review and create'}
      </h2>

      {step === 1 && (
        <>
          <div className="tabs" role="tablist" aria-label="How to choose contacts">
            {(['pick', 'csv'] as const).map((s) => (
              <button
                key={s}
                type="button"
                role="tab"
                id={`${id}-tab-${s}`}
                aria-selected={source === s}
                aria-controls={`${id}-panel-${s}`}
                onClick={() => setSource(s)}
              >
                {s === 'pick' ? 'Select contacts' : 'Upload CSV'}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`${id}-panel-${source}`} aria-labelledby={`${id}-tab-${source}`}>
            {source === 'pick' ? (
              <ContactPicker value={picked} onChange={setPicked} api={api} />
            ) : (
              <CsvStep
                file={file}
                onFile={setFile}
                region={region}
                maxBytes={maxBytes}
                ready={ready}
              />
            )}
          </div>
          {contactsError && (
            <p className="alert error" role="alert">
              {contactsError}
            </p>
          )}
        </>
      )}

      {step === 2 && (
        <>
          {source === 'pick' && picked.kind === 'ids' && preselected.length > 0 && (
            <p className="alert info">
              Calling the {picked.ids.length} contact{picked.ids.length === 1 ? '' : 's'} you
              selected.{' '}
              <button type="button" className="link-button" onClick={() => setStep(1)}>
                Change
              </button>
            </p>
          )}
          {Object.keys(errors).length > 0 && (
            <p className="alert error" role="alert">
              Check the highlighted fields.
            </p>
          )}
          <SettingsForm value={draft} onChange={setDraft} errors={errors} />
        </>
      )}

      {step === 3 && body && (
        <ReviewStep
          body={body}
          contacts={count}
          fileName={file?.name}
          limits={limits}
          averageCallSeconds={average}
        />
      )}

      <ErrorNotice
        error={failure}
        onRetry={() => submit(lastStart)}
        context="The campaign was not created."
      />
      <div className="wizard-actions">
        {step > 1 && (
          <button
            type="button"
            className="button secondary"
            onClick={() => setStep((s) => (s - 1) as Step)}
            disabled={submitting}
          >
            Back
          </button>
        )}
        {step === 1 && (
          <button type="button" className="button" onClick={fromContacts} disabled={!ready}>
            Next: settings
          </button>
        )}
        {step === 2 && (
          <button type="button" className="button" onClick={fromSettings}>
            Next: review
          </button>
        )}
        {step === 3 && (
          <>
            <button
              type="button"
              className="button secondary"
              onClick={() => submit(false)}
              disabled={submitting}
            >
              Save as draft
            </button>
            <button
              type="button"
              className="button"
              onClick={() => submit(true)}
              disabled={submitting}
            >
              {submitting ? 'Creating…' : 'Create and start'}
            </button>
          </>
        )}
      </div>
    </section>
  );
}
