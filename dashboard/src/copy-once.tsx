import type { ComponentChildren } from 'preact';
import { useId, useRef, useState } from 'preact/hooks';

type Props = {
  /** The secret (an API token, an invitation link): it lives only in the caller's state. */
  value: string;
  label: string;
  /** Why it is shown only once, read out with the field. */
  warning: ComponentChildren;
  onDone: () => void;
};

/** A secret shown once, in a read-only field with a Copy button (selected for Ctrl+C when copying fails). */
export function CopyOnceView({ value, label, warning, onDone }: Props) {
  const [copyStatus, setCopyStatus] = useState('');
  const fieldRef = useRef<HTMLInputElement>(null);
  const warningId = useId();

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopyStatus('Copied to the clipboard.');
    } catch {
      fieldRef.current?.select();
      setCopyStatus('Could not copy automatically: the text is selected, press Ctrl+C (⌘C on a Mac).');
    }
  };

  return (
    <div class="stack">
      <p class="warning" id={warningId}>
        {warning}
      </p>
      <label>
        {label}
        <span class="copy-field">
          <input
            ref={fieldRef}
            readOnly
            value={value}
            class="token-value"
            aria-describedby={warningId}
            onFocus={(event) => (event.currentTarget as HTMLInputElement).select()}
            autoFocus
          />
          <button type="button" class="primary" onClick={copy}>
            Copy
          </button>
        </span>
      </label>
      <p role="status" class="hint">
        {copyStatus}
      </p>
      <div class="buttons">
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
