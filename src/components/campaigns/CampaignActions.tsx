import { type MouseEvent, useRef, useState } from 'react';
import type { CampaignView } from '../../lib/campaigns/campaign-view';
import { ConfirmDialog } from '../contacts/ConfirmDialog';
import { describeApiError } from '../shared/handle-api-error';
import { ACTION_LABELS, actionsFor, type CampaignAction, CONFIRM } from './campaign-status';
import { type CampaignsApi, campaignsApi } from './campaigns-api';

export interface CampaignActionsProps {
  campaign: CampaignView;
  /** The actions to offer (default: every one the status allows). */
  only?: CampaignAction[];
  disabled?: boolean;
  /** Called with the action and the server's answer once it succeeded. */
  onDone: (action: CampaignAction, result: CampaignView | { id: string }) => void;
  onError: (error: unknown) => void;
  api?: CampaignsApi;
}

/** Start/pause/resume/cancel/duplicate/delete buttons; cancel and delete ask first. */
export function CampaignActions(props: CampaignActionsProps) {
  const { campaign, only, disabled, onDone, onError, api = campaignsApi } = props;
  const [busy, setBusy] = useState<CampaignAction | null>(null);
  const [confirming, setConfirming] = useState<CampaignAction | null>(null);
  const opener = useRef<HTMLElement | null>(null);
  const actions = actionsFor(campaign.status).filter((a) => !only || only.includes(a));

  const run = async (action: CampaignAction): Promise<string | null> => {
    setBusy(action);
    const result = await api.act(campaign.id, action);
    setBusy(null);
    if (!result.ok) {
      if (confirming) return describeApiError(result.error);
      onError(result.error);
      return null;
    }
    setConfirming(null);
    onDone(action, result.data);
    return null;
  };

  const click = (action: CampaignAction) => (event: MouseEvent<HTMLButtonElement>) => {
    opener.current = event.currentTarget;
    if (CONFIRM[action]) setConfirming(action);
    else void run(action);
  };

  const confirm = confirming ? CONFIRM[confirming] : undefined;
  const name = campaign.name;
  return (
    <div className="campaign-actions">
      {actions.map((action) => (
        <button
          key={action}
          type="button"
          className={`button small ${action === 'start' || action === 'resume' ? '' : 'secondary'}${CONFIRM[action] ? ' danger-text' : ''}`}
          aria-label={`${ACTION_LABELS[action]} ${name}`}
          disabled={disabled || busy !== null}
          onClick={click(action)}
        >
          {busy === action ? 'Working…' : ACTION_LABELS[action]}
        </button>
      ))}
      {confirming && confirm && (
        <ConfirmDialog
          title={confirm.title}
          message={`“${name}”: ${confirm.body}`}
          confirmLabel={confirm.label}
          onConfirm={() => run(confirming)}
          onCancel={() => setConfirming(null)}
          returnFocus={() => (opener.current?.isConnected ? opener.current : null)}
        />
      )}
    </div>
  );
}
