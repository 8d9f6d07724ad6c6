import { useState } from 'react';
import { Dialog } from './Dialog';

export interface ConfirmDialogProps {
  title: string;
  message: string;
  confirmLabel: string;
  /** Resolves to an error message to show, or null when done (the caller then closes). */
  onConfirm: () => Promise<string | null>;
  onCancel: () => void;
  returnFocus?: () => HTMLElement | null;
}

/** "Are you sure?" for destructive actions; the safe choice (Cancel) has focus first. */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const { title, message, confirmLabel, onConfirm, onCancel, returnFocus } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    const failure = await onConfirm();
    if (failure) {
      setError(failure);
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={title}
      description={message}
      onClose={onCancel}
      closable={!busy}
      returnFocus={returnFocus}
      role="alertdialog"
    >
      {error && (
        <p className="alert error" role="alert">
          {error}
        </p>
      )}
      <div className="modal-actions">
        <button
          type="button"
          className="button secondary"
          onClick={onCancel}
          disabled={busy}
          data-autofocus
        >
          Cancel
        </button>
        <button type="button" className="button danger" onClick={confirm} disabled={busy}>
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
