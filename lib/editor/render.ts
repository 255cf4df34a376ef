/**
 * Stored document JSON → HTML for reading, on the server. A string renderer with an explicit mapping for
 * every node and mark of the editor's schema (`@tiptap/static-renderer`): text and attributes are escaped,
 * links are written only for allowed protocols, and an unknown type throws instead of passing through.
 * Footnotes are numbered in document order and listed at the end, with links back and forth.
 */
import type { JSONContent } from '@tiptap/core';
import { renderJSONContentToString } from '@tiptap/static-renderer/json/html-string';
import { type DocJSON, HEADING_LEVELS, isAllowedHref, normalizedHref } from './extensions';

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const join = (children: string | string[] | undefined) =>
  Array.isArray(children) ? children.join('') : (children ?? '');
const attr = (v: unknown) => escapeHtml(String(v ?? ''));

export type RenderOptions = {
  /** Prefix for footnote ids, so two documents on one page (side by side) do not collide. */
  idPrefix?: string;
  /** Label of the footnotes section, in the reader's language. */
  notesLabel?: string;
  /** Accessible label of the "back to text" link. */
  backLabel?: string;
};

export type RenderedDoc = { html: string; notes: string[] };

/** Render a validated document. Safe for `dangerouslySetInnerHTML`. */
export function renderDoc(doc: DocJSON, opts: RenderOptions = {}): RenderedDoc {
  const prefix = (opts.idPrefix ?? 'fn').replace(/[^a-z0-9-]/gi, '');
  const notes: string[] = [];
  const render = renderJSONContentToString({
    nodeMapping: {
      doc: ({ children }) => join(children),
      paragraph: ({ children }) => `<p>${join(children)}</p>`,
      text: ({ node }) => escapeHtml(String(node.text ?? '')),
      heading: ({ node, children }) => {
        const level = (HEADING_LEVELS as readonly number[]).includes(Number(node.attrs?.level))
          ? Number(node.attrs?.level)
          : 2;
        return `<h${level}>${join(children)}</h${level}>`;
      },
      bulletList: ({ children }) => `<ul>${join(children)}</ul>`,
      orderedList: ({ node, children }) => {
        const start = Number(node.attrs?.start ?? 1);
        const startAttr = Number.isInteger(start) && start > 1 ? ` start="${start}"` : '';
        const type = node.attrs?.type;
        const typeAttr = typeof type === 'string' && /^[1aAiI]$/.test(type) ? ` type="${type}"` : '';
        return `<ol${startAttr}${typeAttr}>${join(children)}</ol>`;
      },
      listItem: ({ children }) => `<li>${join(children)}</li>`,
      blockquote: ({ children }) => `<blockquote>${join(children)}</blockquote>`,
      horizontalRule: () => '<hr>',
      hardBreak: () => '<br>',
      footnote: ({ node }) => {
        notes.push(String(node.attrs?.text ?? ''));
        const n = notes.length;
        return `<sup class="footnote-ref"><a href="#${prefix}-${n}" id="${prefix}ref-${n}" aria-describedby="${prefix}-label">${n}</a></sup>`;
      },
    },
    markMapping: {
      bold: ({ children }) => `<strong>${join(children)}</strong>`,
      italic: ({ children }) => `<em>${join(children)}</em>`,
      underline: ({ children }) => `<u>${join(children)}</u>`,
      link: ({ mark, children }) => {
        const href = mark.attrs?.href;
        if (!isAllowedHref(href)) return join(children);
        return `<a href="${attr(normalizedHref(href))}" rel="noopener noreferrer nofollow ugc">${join(children)}</a>`;
      },
    },
  });
  let html = render({ content: doc as JSONContent });
  if (notes.length) {
    const label = escapeHtml(opts.notesLabel ?? 'Notes');
    const back = escapeHtml(opts.backLabel ?? 'Back to text');
    html +=
      `<section class="footnotes" aria-labelledby="${prefix}-label"><h2 id="${prefix}-label" class="footnotes-label">${label}</h2><ol>` +
      notes
        .map(
          (t, i) =>
            `<li id="${prefix}-${i + 1}">${linkifyText(t)} <a href="#${prefix}ref-${i + 1}" class="footnote-back" aria-label="${back} ${i + 1}">↩</a></li>`,
        )
        .join('') +
      '</ol></section>';
  }
  return { html, notes };
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/gi;

/** Plain text with its http(s) URLs made clickable; everything escaped. */
export function linkifyText(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(URL_IN_TEXT)) {
    const i = m.index ?? 0;
    out += escapeHtml(text.slice(last, i));
    const url = m[0];
    out += isAllowedHref(url)
      ? `<a href="${attr(url)}" rel="noopener noreferrer nofollow ugc">${escapeHtml(url)}</a>`
      : escapeHtml(url);
    last = i + url.length;
  }
  return out + escapeHtml(text.slice(last));
}
