/** Rendered, sanitised markdown. */
import { useMemo } from 'react';
import { renderMarkdown } from '../../lib/markdown.js';

/** The only place the renderer sets innerHTML, and only with DOMPurify's output. */
export function MarkdownView({ markdown, label }: { markdown: string; label?: string }) {
  const html = useMemo(() => renderMarkdown(markdown), [markdown]);
  if (!markdown.trim()) return <p className="muted">Nothing written yet.</p>;
  return <div className="markdown" aria-label={label} dangerouslySetInnerHTML={{ __html: html }} />;
}
