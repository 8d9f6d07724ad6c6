import { useState } from 'react';
import type { CampaignView } from '../../lib/campaigns/campaign-view';
import { ErrorNotice } from '../shared/ErrorNotice';
import { handleApiError } from '../shared/handle-api-error';
import { type CampaignsApi, campaignsApi } from './campaigns-api';
import { SettingsForm } from './SettingsForm';
import {
  draftFrom,
  fromServerFields,
  type SettingsErrors,
  validateSettings,
} from './settings-draft';

export interface EditCampaignProps {
  campaign: CampaignView;
  api?: CampaignsApi;
  navigate?: (href: string) => void;
}

/** Changes a draft or paused campaign's settings (PATCH); the server has the last word. */
export function EditCampaign({ campaign, api = campaignsApi, navigate }: EditCampaignProps) {
  const go = navigate ?? ((href: string) => window.location.assign(href));
  const [draft, setDraft] = useState(() => draftFrom(campaign));
  const [errors, setErrors] = useState<SettingsErrors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  const save = async () => {
    const checked = validateSettings(draft);
    if (!checked.ok) return setErrors(checked.errors);
    const { startAt: _ignored, ...change } = checked.body;
    setSaving(true);
    const result = await api.update(campaign.id, change);
    setSaving(false);
    if (result.ok) return go(`/campaigns/${campaign.id}`);
    const advice = handleApiError(result.error);
    if (advice.code === 'VALIDATION' && advice.fields) setErrors(fromServerFields(advice.fields));
    else setFailure(result.error);
  };

  return (
    <section className="card" aria-label="Campaign settings">
      {Object.keys(errors).length > 0 && (
        <p className="alert error" role="alert">
          Check the highlighted fields.
        </p>
      )}
      <SettingsForm value={draft} onChange={setDraft} errors={errors} editing />
      <ErrorNotice error={failure} onRetry={save} context="The changes were not saved." />
      <div className="wizard-actions">
        <a className="button secondary" href={`/campaigns/${campaign.id}`}>
          Cancel
        </a>
        <button type="button" className="button" onClick={save} disabled={saving}>
          {saving ? 'Saving…' : 'Save changes'}
        </button>
      </div>
    </section>
  );
}
