import {
  type KeyboardEvent,
  type ReactNode,
  type SyntheticEvent,
  useEffect,
  useId,
  useRef,
} from 'react';

export interface DialogProps {
  title: string;
  /** Read after the title by screen readers. */
  description?: ReactNode;
  onClose: () => void;
  /** False while saving: Escape then does nothing. */
  closable?: boolean;
  /** Where focus goes back on close; by default the element focused when the dialog opened. */
  returnFocus?: () => HTMLElement | null;
  role?: 'dialog' | 'alertdialog';
  children: ReactNode;
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog: labelled by its title, focus moved in on open, kept inside
 * with Tab and Shift+Tab, returned to the opener on close; Escape closes.
 */
export function Dialog(props: DialogProps) {
  const { title, description, onClose, closable = true, returnFocus, role = 'dialog' } = props;
  const titleId = useId();
  const descriptionId = useId();
  const panel = useRef<HTMLDialogElement>(null);
  const returnTo = useRef(returnFocus);
  returnTo.current = returnFocus;

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const root = panel.current;
    // A real modal where the browser has one (the page behind becomes inert); open in place otherwise.
    if (root && typeof root.showModal === 'function') {
      if (!root.open) root.showModal();
    } else root?.setAttribute('open', '');
    const first =
      root?.querySelector<HTMLElement>('[data-autofocus]') ??
      root?.querySelector<HTMLElement>(FOCUSABLE);
    (first ?? root)?.focus();
    return () => {
      const target = returnTo.current?.() ?? previous;
      if (target?.isConnected) target.focus();
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      if (closable) onClose();
      return;
    }
    if (event.key !== 'Tab' || !panel.current) return;
    const items = [...panel.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = items[0];
    const last = items.at(-1);
    if (!first || !last) {
      event.preventDefault();
      return;
    }
    const active = document.activeElement;
    if (event.shiftKey && (active === first || active === panel.current)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  };

  // The browser's own Escape handling: React state decides when the dialog goes.
  const onCancel = (event: SyntheticEvent<HTMLDialogElement>) => {
    event.preventDefault();
    if (closable) onClose();
  };

  return (
    <dialog
      ref={panel}
      className="modal"
      role={role === 'alertdialog' ? 'alertdialog' : undefined}
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      tabIndex={-1}
      onKeyDown={onKeyDown}
      onCancel={onCancel}
    >
      <h2 id={titleId} className="modal-title">
        {title}
      </h2>
      {description && (
        <div id={descriptionId} className="modal-description">
          {description}
        </div>
      )}
      {props.children}
    </dialog>
  );
}
