'use client';
// An accessible toolbar (WAI-ARIA toolbar pattern: one tab stop, arrow keys move between buttons) with
// pressed states, shortcut hints, and small inline forms for links and footnotes (no window.prompt).
import type { Editor } from '@tiptap/react';
import { useEditorState } from '@tiptap/react';
import { useTranslations } from 'next-intl';
import { type KeyboardEvent, type ReactNode, useRef, useState } from 'react';
import { FOOTNOTE_MAX_CHARS, isAllowedHref } from '@/lib/editor/extensions';

type Panel = null | 'link' | 'footnote';

const LINK_ICON = (
  <svg
    viewBox="0 0 24 24"
    width="18"
    height="18"
    fill="none"
    stroke="currentColor"
    strokeWidth="2"
    strokeLinecap="round"
    strokeLinejoin="round"
    focusable="false"
  >
    <path d="M10 13a5 5 0 0 0 7.5.5l3-3a5 5 0 0 0-7-7l-1.7 1.7" />
    <path d="M14 11a5 5 0 0 0-7.5-.5l-3 3a5 5 0 0 0 7 7l1.7-1.7" />
  </svg>
);

export function EditorToolbar({ editor }: { editor: Editor }) {
  const t = useTranslations('editor');
  const [panel, setPanel] = useState<Panel>(null);
  const [href, setHref] = useState('');
  const [note, setNote] = useState('');
  const [linkError, setLinkError] = useState(false);
  const barRef = useRef<HTMLDivElement>(null);
  const [focusIndex, setFocusIndex] = useState(0);

  const s = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      h2: e.isActive('heading', { level: 2 }),
      h3: e.isActive('heading', { level: 3 }),
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      underline: e.isActive('underline'),
      link: e.isActive('link'),
      bullet: e.isActive('bulletList'),
      ordered: e.isActive('orderedList'),
      quote: e.isActive('blockquote'),
      footnote: e.isActive('footnote'),
      canUndo: e.can().undo(),
      canRedo: e.can().redo(),
      // Read-only while a save conflict is on screen: the toolbar must not change the text either.
      editable: e.isEditable,
    }),
  });

  const mac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
  const mod = mac ? '⌘' : 'Ctrl+';

  function openLink() {
    setHref(String(editor.getAttributes('link').href ?? ''));
    setLinkError(false);
    setPanel('link');
  }
  function applyLink() {
    if (!editor.isEditable) return setPanel(null);
    let v = href.trim();
    if (v && !/^[a-z][a-z0-9+.-]*:/i.test(v))
      v = v.includes('@') && !v.includes('/') ? `mailto:${v}` : `https://${v}`;
    if (!v) {
      editor.chain().focus().extendMarkRange('link').unsetLink().run();
      setPanel(null);
      return;
    }
    if (!isAllowedHref(v)) {
      setLinkError(true);
      return;
    }
    editor.chain().focus().extendMarkRange('link').setLink({ href: v }).run();
    setPanel(null);
  }
  function openFootnote() {
    setNote(s.footnote ? String(editor.getAttributes('footnote').text ?? '') : '');
    setPanel('footnote');
  }
  function applyFootnote() {
    if (!editor.isEditable) return setPanel(null);
    const text = note.trim();
    if (s.footnote) editor.chain().focus().updateFootnote(text).run();
    else if (text) editor.chain().focus().insertFootnote(text).run();
    setPanel(null);
  }

  type Item = {
    key: string;
    label: string;
    icon: ReactNode;
    pressed?: boolean;
    disabled?: boolean;
    shortcut?: string;
    run: () => void;
  };
  const items: Item[] = [
    {
      key: 'h2',
      label: t('heading2'),
      icon: 'H2',
      pressed: s.h2,
      shortcut: `${mod}Alt+2`,
      run: () => editor.chain().focus().toggleHeading({ level: 2 }).run(),
    },
    {
      key: 'h3',
      label: t('heading3'),
      icon: 'H3',
      pressed: s.h3,
      shortcut: `${mod}Alt+3`,
      run: () => editor.chain().focus().toggleHeading({ level: 3 }).run(),
    },
    {
      key: 'bold',
      label: t('bold'),
      icon: 'B',
      pressed: s.bold,
      shortcut: `${mod}B`,
      run: () => editor.chain().focus().toggleBold().run(),
    },
    {
      key: 'italic',
      label: t('italic'),
      icon: 'I',
      pressed: s.italic,
      shortcut: `${mod}I`,
      run: () => editor.chain().focus().toggleItalic().run(),
    },
    {
      key: 'underline',
      label: t('underline'),
      icon: 'U',
      pressed: s.underline,
      shortcut: `${mod}U`,
      run: () => editor.chain().focus().toggleUnderline().run(),
    },
    { key: 'link', label: t('link'), icon: LINK_ICON, pressed: s.link, run: openLink },
    {
      key: 'bullet',
      label: t('bulletList'),
      icon: '•',
      pressed: s.bullet,
      shortcut: `${mod}Shift+8`,
      run: () => editor.chain().focus().toggleBulletList().run(),
    },
    {
      key: 'ordered',
      label: t('orderedList'),
      icon: '1.',
      pressed: s.ordered,
      shortcut: `${mod}Shift+7`,
      run: () => editor.chain().focus().toggleOrderedList().run(),
    },
    {
      key: 'quote',
      label: t('blockquote'),
      icon: '❝',
      pressed: s.quote,
      shortcut: `${mod}Shift+B`,
      run: () => editor.chain().focus().toggleBlockquote().run(),
    },
    {
      key: 'rule',
      label: t('horizontalRule'),
      icon: '―',
      run: () => editor.chain().focus().setHorizontalRule().run(),
    },
    {
      key: 'footnote',
      label: s.footnote ? t('editFootnote') : t('footnote'),
      icon: '¹',
      pressed: s.footnote,
      run: openFootnote,
    },
    {
      key: 'undo',
      label: t('undo'),
      icon: '↶',
      disabled: !s.canUndo,
      shortcut: `${mod}Z`,
      run: () => editor.chain().focus().undo().run(),
    },
    {
      key: 'redo',
      label: t('redo'),
      icon: '↷',
      disabled: !s.canRedo,
      shortcut: mac ? '⌘Shift+Z' : 'Ctrl+Y',
      run: () => editor.chain().focus().redo().run(),
    },
  ];

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(e.key)) return;
    e.preventDefault();
    const n = items.length;
    const next =
      e.key === 'Home'
        ? 0
        : e.key === 'End'
          ? n - 1
          : (focusIndex + (e.key === 'ArrowRight' ? 1 : n - 1)) % n;
    setFocusIndex(next);
    barRef.current?.querySelectorAll<HTMLButtonElement>('button[data-tb]')[next]?.focus();
  }

  return (
    <div className="sticky top-0 z-10 border-b border-line bg-stone-50">
      <div
        ref={barRef}
        role="toolbar"
        aria-label={t('toolbar')}
        aria-controls="editor-body"
        onKeyDown={onKeyDown}
        className="flex flex-wrap gap-1 p-1"
      >
        {items.map((it, i) => (
          <button
            key={it.key}
            type="button"
            data-tb={it.key}
            tabIndex={i === focusIndex ? 0 : -1}
            aria-label={it.label}
            aria-pressed={it.pressed === undefined ? undefined : it.pressed}
            aria-keyshortcuts={it.shortcut?.replace('⌘', 'Meta+').replace('Ctrl+', 'Control+')}
            title={it.shortcut ? `${it.label} (${it.shortcut})` : it.label}
            disabled={it.disabled || !s.editable}
            onFocus={() => setFocusIndex(i)}
            onMouseDown={(e) => e.preventDefault()}
            onClick={it.run}
            className={`min-h-10 min-w-10 rounded px-2 text-sm font-semibold hover:bg-stone-200 disabled:opacity-40 aria-pressed:bg-accent aria-pressed:text-white ${
              it.key === 'italic' ? 'italic' : it.key === 'underline' ? 'underline' : ''
            }`}
          >
            <span aria-hidden="true" className="inline-flex items-center justify-center">
              {it.icon}
            </span>
          </button>
        ))}
      </div>
      {panel === 'link' && s.editable ? (
        <form
          className="flex flex-wrap items-end gap-2 border-t border-line p-2"
          onSubmit={(e) => {
            e.preventDefault();
            applyLink();
          }}
        >
          <label className="flex min-w-0 flex-1 flex-col text-sm">
            <span className="font-semibold">{t('linkAddress')}</span>
            <input
              autoFocus
              value={href}
              onChange={(e) => setHref(e.target.value)}
              onKeyDown={(e) => e.key === 'Escape' && setPanel(null)}
              placeholder="https://"
              inputMode="url"
              aria-invalid={linkError || undefined}
              aria-describedby={linkError ? 'link-error' : undefined}
              className="rounded border border-line bg-white px-2 py-1"
            />
            {linkError ? (
              <span id="link-error" className="text-danger">
                {t('linkInvalid')}
              </span>
            ) : null}
          </label>
          <button type="submit" className="min-h-10 rounded bg-accent px-3 text-sm font-semibold text-white">
            {t('apply')}
          </button>
          {s.link ? (
            <button
              type="button"
              className="min-h-10 rounded border border-line bg-white px-3 text-sm"
              onClick={() => {
                editor.chain().focus().extendMarkRange('link').unsetLink().run();
                setPanel(null);
              }}
            >
              {t('removeLink')}
            </button>
          ) : null}
          <button
            type="button"
            className="min-h-10 rounded border border-line bg-white px-3 text-sm"
            onClick={() => setPanel(null)}
          >
            {t('cancel')}
          </button>
        </form>
      ) : null}
      {panel === 'footnote' && s.editable ? (
        <form
          className="flex flex-wrap items-end gap-2 border-t border-line p-2"
          onSubmit={(e) => {
            e.preventDefault();
            applyFootnote();
          }}
        >
          <label className="flex min-w-0 flex-1 flex-col text-sm">
            <span className="font-semibold">{t('footnoteText')}</span>
            <textarea
              autoFocus
              value={note}
              maxLength={FOOTNOTE_MAX_CHARS}
              rows={2}
              onChange={(e) => setNote(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') setPanel(null);
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) applyFootnote();
              }}
              className="rounded border border-line bg-white px-2 py-1"
            />
          </label>
          <button type="submit" className="min-h-10 rounded bg-accent px-3 text-sm font-semibold text-white">
            {s.footnote ? t('apply') : t('insertFootnote')}
          </button>
          <button
            type="button"
            className="min-h-10 rounded border border-line bg-white px-3 text-sm"
            onClick={() => setPanel(null)}
          >
            {t('cancel')}
          </button>
        </form>
      ) : null}
    </div>
  );
}
