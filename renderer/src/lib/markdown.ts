/**
 * Markdown note preview. Raw HTML in a note is shown as the literal text the examiner typed (a
 * note may quote hostile content from the evidence); marked renders, DOMPurify sanitises anyway.
 */
import DOMPurify from 'dompurify';
import { Marked } from 'marked';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const marked = new Marked({
  gfm: true,
  breaks: false,
  renderer: {
    html(token) {
      const escaped = escapeHtml(token.text);
      return token.block ? `<pre class="raw-html">${escaped}</pre>\n` : escaped;
    },
  },
});

let hooked = false;

function installHooks(): void {
  if (hooked) return;
  hooked = true;
  // Links open outside the app and carry no referrer (the page URL once held the session token).
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A') {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
}

/** Markdown to HTML with any raw HTML escaped; not yet sanitised (renderMarkdown does that). */
export function markdownToHtml(markdown: string): string {
  return marked.parse(markdown, { async: false });
}

/** Markdown to sanitised HTML, safe to set as innerHTML. */
export function renderMarkdown(markdown: string): string {
  installHooks();
  return DOMPurify.sanitize(markdownToHtml(markdown), {
    USE_PROFILES: { html: true },
    // The CSP refuses inline styles anyway; strip them so nothing depends on them.
    FORBID_ATTR: ['style'],
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select'],
  });
}
