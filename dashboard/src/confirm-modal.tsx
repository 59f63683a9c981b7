import type { ComponentChildren } from 'preact';
import { ErrorMessage } from './error-message.js';
import { Modal } from './modal.js';
import { useAction } from './use-action.js';

type Props = {
  title: string;
  /** What will happen, in a sentence or two. */
  children: ComponentChildren;
  confirmLabel: string;
  busyLabel: string;
  /** `danger` for what takes something away (remove, revoke, leave); `primary` for what grants. */
  tone?: 'danger' | 'primary';
  /** Does the change; the dialog closes once it resolves, and shows the error if it throws. */
  onConfirm: () => Promise<void>;
  onClose: () => void;
  fallbackFocus?: () => HTMLElement | null;
};

/**
 * "Are you sure?" before a change that cannot be undone from here. Cancel has the focus, so that
 * Enter or a stray click does not confirm.
 */
export function ConfirmModal({ title, children, confirmLabel, busyLabel, tone = 'danger', onConfirm, onClose, fallbackFocus }: Props) {
  const { busy, error, run } = useAction();

  const confirm = () =>
    run(
      async () => {
        await onConfirm();
        onClose();
      },
      { staysBusy: true },
    );

  return (
    <Modal title={title} onClose={onClose} fallbackFocus={fallbackFocus}>
      <div class="stack">
        <p>{children}</p>
        <ErrorMessage message={error} />
        <div class="buttons">
          <button type="button" onClick={onClose} autoFocus>
            Cancel
          </button>
          <button type="button" class={tone} onClick={confirm} disabled={busy}>
            {busy ? busyLabel : confirmLabel}
          </button>
        </div>
      </div>
    </Modal>
  );
}
