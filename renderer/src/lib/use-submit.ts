/** One form submission at a time: busy while it runs, an envelope error shown to the examiner when it fails. */
import { useState, type FormEvent } from 'react';
import type { ErrorInfo } from '../../../shared/errors.js';
import { toDisplayError } from './bridge-context.js';

export interface SubmitOptions {
  /** Set for a form that stays on screen after success; a dialog stays busy until its owner closes it, so it cannot submit twice. */
  releaseOnSuccess?: boolean;
  /** Rewrites the shown error, e.g. to tell the examiner what a conflict means for their text. */
  mapError?: (info: ErrorInfo) => ErrorInfo;
}

export interface SubmitState {
  submit: (e?: FormEvent) => Promise<void>;
  busy: boolean;
  error: ErrorInfo | null;
  setError: (error: ErrorInfo | null) => void;
}

/** Wraps action (which includes the success callback) so a failure anywhere in it lands in error; submit never rejects. */
export function useSubmit(action: () => Promise<void>, options: SubmitOptions = {}): SubmitState {
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e?: FormEvent): Promise<void> => {
    e?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
      if (options.releaseOnSuccess) setBusy(false);
    } catch (err) {
      const info = toDisplayError(err);
      setError(options.mapError ? options.mapError(info) : info);
      setBusy(false);
    }
  };

  return { submit, busy, error, setError };
}
