import { useState } from 'preact/hooks';
import { messageOf } from './api.js';

type RunOptions = {
  /**
   * Leave `busy` set once the action succeeds: the caller signs in, navigates or closes, and the
   * button must not come back to life in between. By default `busy` is cleared either way.
   */
  staysBusy?: boolean;
};

/**
 * The busy flag and error message of a form or button that calls the server.
 * `run` sets busy, clears the error, awaits the action, and on failure shows its message and clears busy.
 * Anything the action does on success (callbacks, closing, focus) stays in the action, in its own order.
 */
export function useAction() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<void>, { staysBusy = false }: RunOptions = {}): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await action();
      if (!staysBusy) setBusy(false);
    } catch (caught) {
      setError(messageOf(caught));
      setBusy(false);
    }
  };

  return { busy, error, setError, run };
}
