/** The end of every form: the error, then the submit button and Cancel, in that keyboard order. */
import type { ErrorInfo } from '../../../shared/errors.js';
import { ErrorMessage } from './ErrorMessage.js';

interface FormFooterProps {
  error: ErrorInfo | null | undefined;
  busy: boolean;
  /** The submit button's text; busyLabel replaces it while the submission runs. */
  label: string;
  busyLabel: string;
  /** Another reason the form cannot be submitted yet (busy always disables it). */
  disabled?: boolean;
  /** No Cancel button without it (the first-run profile form has nowhere to go back to). */
  onCancel?: () => void;
}

/** Renders the error message and the form's action buttons. */
export function FormFooter({ error, busy, label, busyLabel, disabled = false, onCancel }: FormFooterProps) {
  return (
    <>
      <ErrorMessage error={error} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy || disabled}>
          {busy ? busyLabel : label}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </>
  );
}

/** The end of a result shown in a dialog: one Close button, in the form's action row. */
export function CloseFooter({ onClose }: { onClose: () => void }) {
  return (
    <div className="form-actions">
      <button type="button" className="primary" onClick={onClose}>
        Close
      </button>
    </div>
  );
}
