/**
 * The editor's extension list — one list, used by the browser editor, the server validator, the paste
 * cleaner's tests and the renderer. Changing it changes what documents are accepted: keep it in one place.
 *
 * Isomorphic: no DOM access at import time, no React, no server-only modules.
 */
import { type Extensions, mergeAttributes, Node } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import Link from '@tiptap/extension-link';
import canonicalize from 'canonicalize';

export const HEADING_LEVELS = [2, 3] as const;
export const LINK_PROTOCOLS = ['http', 'https', 'mailto'] as const;
export const FOOTNOTE_MAX_CHARS = 2000;

/** SECURITY.md I9. */
export const DOC_LIMITS = { maxBytes: 512 * 1024, maxNodes: 20_000, maxDepth: 12 } as const;

/** Strip whitespace and control characters the way browsers do before reading a URL's scheme. */
export function normalizedHref(href: string): string {
  return href.replace(/[\u0000-\u0020\u007f-\u009f\u00ad\u200b-\u200f\u2028\u2029\ufeff]/g, '');
}

/** http, https and mailto only (after stripping whitespace/control characters); relative and other schemes refused. */
export function isAllowedHref(href: unknown): href is string {
  if (typeof href !== 'string' || href.length === 0 || href.length > 2000) return false;
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(normalizedHref(href));
  if (!m) return false;
  return (LINK_PROTOCOLS as readonly string[]).includes(m[1]!.toLowerCase());
}

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    footnote: {
      /** Insert a footnote reference carrying its note text at the cursor. */
      insertFootnote: (text: string) => ReturnType;
      /** Replace the text of the selected footnote. */
      updateFootnote: (text: string) => ReturnType;
    };
  }
}

/**
 * A footnote: an inline atom in the text that carries its note (plain text). Notes are numbered in
 * document order and listed at the end by the renderer, with links back and forth. Keeping the note
 * inside its reference means a note can never be orphaned or numbered twice.
 */
export const Footnote = Node.create({
  name: 'footnote',
  group: 'inline',
  inline: true,
  atom: true,
  selectable: true,
  draggable: false,
  // A note is plain text; bold or a link around the reference would nest a link inside the reference's link.
  marks: '',
  addAttributes() {
    return {
      text: {
        default: '',
        parseHTML: (el) => el.getAttribute('data-footnote') ?? '',
        renderHTML: (attrs) => ({ 'data-footnote': String(attrs.text ?? '') }),
      },
    };
  },
  parseHTML() {
    return [{ tag: 'sup[data-footnote]' }];
  },
  renderHTML({ HTMLAttributes }) {
    // In the editor, CSS counters number the references (see app/globals.css `.footnote-ref`).
    return [
      'sup',
      mergeAttributes(HTMLAttributes, { class: 'footnote-ref', title: HTMLAttributes['data-footnote'] }),
    ];
  },
  renderText() {
    return '';
  },
  addCommands() {
    return {
      insertFootnote:
        (text) =>
        ({ commands }) =>
          commands.insertContent({ type: this.name, attrs: { text: text.slice(0, FOOTNOTE_MAX_CHARS) } }),
      updateFootnote:
        (text) =>
        ({ commands }) =>
          commands.updateAttributes(this.name, { text: text.slice(0, FOOTNOTE_MAX_CHARS) }),
    };
  },
});

/** Links keep only `href`: target/rel/class are the renderer's business, not the document's. */
const HrefOnlyLink = Link.extend({
  addAttributes() {
    return {
      href: { default: null, parseHTML: (el: HTMLElement) => el.getAttribute('href') },
    };
  },
}).configure({
  openOnClick: false,
  autolink: true,
  linkOnPaste: true,
  defaultProtocol: 'https',
  protocols: ['mailto'],
  HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: null, class: null },
  isAllowedUri: (url) => isAllowedHref(url),
  shouldAutoLink: (url) => /^https?:\/\//i.test(url) || /^[^\s@/]+\.[a-z]{2,}/i.test(url),
});

export function editorExtensions(): Extensions {
  return [
    StarterKit.configure({
      heading: { levels: [...HEADING_LEVELS] },
      code: false,
      codeBlock: false,
      strike: false,
      link: false,
      trailingNode: false,
    }),
    HrefOnlyLink,
    Footnote,
  ];
}

/** The node and mark type names a stored document may use. */
export const NODE_TYPES = [
  'doc',
  'paragraph',
  'text',
  'heading',
  'bulletList',
  'orderedList',
  'listItem',
  'blockquote',
  'horizontalRule',
  'hardBreak',
  'footnote',
] as const;
export const MARK_TYPES = ['bold', 'italic', 'underline', 'link'] as const;

export type DocJSON = {
  type: string;
  attrs?: Record<string, unknown>;
  content?: DocJSON[];
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  text?: string;
};

export const EMPTY_DOC: DocJSON = { type: 'doc', content: [{ type: 'paragraph' }] };

/** Two documents are the same text when their canonical JSON is equal (PostgreSQL's jsonb reorders keys). */
export function sameDoc(a: unknown, b: unknown): boolean {
  return canonicalize(a) === canonicalize(b);
}
