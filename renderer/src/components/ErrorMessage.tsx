/** An envelope error as the examiner reads it: the code and the message, never swallowed. */
import { useEffect, useRef } from 'react';
import type { ErrorInfo } from '../../../shared/errors.js';

/** Renders nothing when error is null; scrolls a new error into view so it is never missed below the fold. */
export function ErrorMessage({ error, onDismiss }: { error: ErrorInfo | null | undefined; onDismiss?: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [error]);
  if (!error) return null;
  return (
    <div className="error-message" role="alert" ref={ref}>
      <span className="error-code">{error.code}</span>
      <span className="error-text">{error.message}</span>
      {onDismiss && (
        <button type="button" className="link-button" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}
