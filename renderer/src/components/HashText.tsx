/** Hash display: monospace, selectable in one click, with a copy button that confirms. */
import { useState } from 'react';
import { shortHash } from '../lib/format.js';

/** Copies text and says so; when the clipboard is refused, selects the text so Ctrl+C works. */
export function CopyButton({ text, label, targetId }: { text: string; label: string; targetId?: string }) {
  const [status, setStatus] = useState<'idle' | 'copied' | 'select'>('idle');
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text);
      setStatus('copied');
    } catch {
      const el = targetId ? document.getElementById(targetId) : null;
      if (el) window.getSelection()?.selectAllChildren(el);
      setStatus('select');
    }
    window.setTimeout(() => setStatus('idle'), 2000);
  };
  return (
    <button type="button" className="copy-button" aria-label={`Copy ${label}`} onClick={() => void copy()}>
      {status === 'copied' ? 'Copied' : status === 'select' ? 'Press Ctrl+C' : 'Copy'}
    </button>
  );
}

/** A full hash with label and copy button. */
export function HashLine({ label, hash, id }: { label: string; hash: string | null | undefined; id: string }) {
  return (
    <div className="hash-line">
      <dt>{label}</dt>
      <dd>
        {hash ? (
          <>
            <code id={id} className="hash hash-full" tabIndex={0} aria-label={`${label} ${hash}`}>
              {hash}
            </code>
            <CopyButton text={hash} label={label} targetId={id} />
          </>
        ) : (
          <span className="muted">not computed yet</span>
        )}
      </dd>
    </div>
  );
}

/** A full hash inside a sentence: wraps rather than being cut short, with its copy button. */
export function InlineHash({ label, hash, id }: { label: string; hash: string; id: string }) {
  return (
    <span className="hash-inline">
      <code id={id} className="hash hash-full" tabIndex={0} aria-label={`${label} ${hash}`}>
        {hash}
      </code>{' '}
      <CopyButton text={hash} label={label} targetId={id} />
    </span>
  );
}

/** A shortened hash whose full value shows on hover and is what gets selected or copied. */
export function ShortHash({ hash, n = 12 }: { hash: string | null | undefined; n?: number }) {
  if (!hash) return <span className="muted">—</span>;
  return (
    <code className="hash" title={hash} data-full-hash={hash}>
      {shortHash(hash, n)}
    </code>
  );
}
