'use client';
// The draft editor (PRODUCT.md D1, D2): Tiptap with the shared extension list, autosave through the route
// handler with optimistic concurrency, a visible conflict state, and a browser copy of unsaved text.
import { EditorContent, useEditor, useEditorState } from '@tiptap/react';
import { useFormatter, useTranslations } from 'next-intl';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { diffDocs, docPlainText, docWordCount, renderDiffHtml } from '@/lib/editor/diff';
import { type DocJSON, editorExtensions, FOOTNOTE_MAX_CHARS } from '@/lib/editor/extensions';
import { cleanPastedHtml } from '@/lib/editor/paste';
import { renderDoc } from '@/lib/editor/render';
import { Button } from '@/components/ui/button';
import { asideDraft, localDraft, type LocalDraft, sameText } from './draft-storage';
import { EditorToolbar } from './editor-toolbar';

type Theirs = {
  version: number;
  title: string;
  doc: DocJSON;
  updatedAt: string;
  updatedByName: string | null;
};
type Status =
  | { kind: 'idle' }
  | { kind: 'dirty' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: string }
  | { kind: 'offline' }
  | { kind: 'conflict'; theirs: Theirs; mine: { title: string; doc: DocJSON } }
  | { kind: 'error'; message: string; path?: string };

export type DraftEditorProps = {
  statementId: string;
  lang: string;
  /** BCP 47 tag for the text's `lang` attribute. */
  initial: { title: string; doc: DocJSON; version: number; savedAtLabel: string | null };
  titleLabel: string;
};

const DEBOUNCE_MS = 1200;
const MAX_RETRY_MS = 30_000;

type Recovery = { title: string; doc: DocJSON; status: Status };

/**
 * Unsaved text from an earlier visit (this component renders in the browser only). Based on the version the
 * server has: put it back and save it. Based on an older one: someone saved on top of it — show a conflict.
 */
function recover(statementId: string, lang: string, initial: DraftEditorProps['initial']): Recovery {
  const local = localDraft.read(statementId, lang);
  if (!local || sameText(local, initial))
    return { title: initial.title, doc: initial.doc, status: { kind: 'idle' } };
  if (local.baseVersion === initial.version)
    return { title: local.title, doc: local.doc, status: { kind: 'dirty' } };
  return {
    title: local.title,
    doc: local.doc,
    status: {
      kind: 'conflict',
      theirs: {
        version: initial.version,
        title: initial.title,
        doc: initial.doc,
        updatedAt: new Date().toISOString(),
        updatedByName: null,
      },
      mine: { title: local.title, doc: local.doc },
    },
  };
}

export function DraftEditor({ statementId, lang, initial, titleLabel }: DraftEditorProps) {
  const t = useTranslations('editor');
  const [recovered] = useState(() => recover(statementId, lang, initial));
  const [title, setTitle] = useState(recovered.title);
  const [status, setStatus] = useState<Status>(recovered.status);
  const [aside, setAside] = useState<LocalDraft | null>(() => asideDraft.read(statementId, lang));
  const [counts, setCounts] = useState(() => docWordCount(recovered.doc));
  const version = useRef(initial.version);
  const titleRef = useRef(recovered.title);
  const inFlight = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const retryMs = useRef(2000);
  const paused = useRef(recovered.status.kind === 'conflict'); // while a conflict is on screen
  const lastSaved = useRef<{ title: string; doc: DocJSON }>({ title: initial.title, doc: initial.doc });
  const saveRef = useRef<(opts?: { resolution?: 'keep_mine' }) => Promise<void>>(async () => {});
  const later = (ms: number) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void saveRef.current(), ms);
  };

  const editor = useEditor({
    extensions: editorExtensions(),
    content: recovered.doc,
    editable: recovered.status.kind !== 'conflict',
    immediatelyRender: false,
    editorProps: {
      transformPastedHTML: (html) => cleanPastedHtml(html),
      attributes: {
        id: 'editor-body',
        class: 'statement-text editor-surface min-h-[50vh] focus:outline-none',
        'aria-label': t('bodyLabel'),
        'aria-multiline': 'true',
        role: 'textbox',
        lang,
        spellcheck: 'true',
      },
    },
  });

  const snapshot = useCallback((): { title: string; doc: DocJSON } | null => {
    if (!editor) return null;
    return { title: titleRef.current, doc: editor.getJSON() as DocJSON };
  }, [editor]);

  const save = useCallback(
    async (opts: { resolution?: 'keep_mine' } = {}) => {
      if (!editor || inFlight.current || (paused.current && !opts.resolution)) return;
      const snap = snapshot();
      if (!snap) return;
      if (sameText(snap, lastSaved.current) && !opts.resolution) {
        localDraft.write(statementId, lang, null);
        return;
      }
      inFlight.current = true;
      setStatus({ kind: 'saving' });
      try {
        const res = await fetch(`/api/statements/${statementId}/texts/${encodeURIComponent(lang)}`, {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            baseVersion: version.current,
            title: snap.title,
            doc: snap.doc,
            ...(opts.resolution ? { resolution: opts.resolution } : {}),
          }),
        });
        const body = (await res.json().catch(() => null)) as
          | { version: number; savedAt: string }
          | {
              error: {
                code: string;
                message: string;
                current?: Theirs;
                problem?: { path: string; reason: string };
              };
            }
          | null;
        if (res.ok && body && 'version' in body) {
          version.current = body.version;
          lastSaved.current = snap;
          retryMs.current = 2000;
          paused.current = false;
          const now = snapshot();
          if (now && sameText(now, snap)) {
            localDraft.write(statementId, lang, null);
            setStatus({ kind: 'saved', at: body.savedAt });
          } else {
            setStatus({ kind: 'dirty' });
            later(DEBOUNCE_MS);
          }
        } else if (res.status === 409 && body && 'error' in body && body.error.current) {
          paused.current = true;
          editor.setEditable(false);
          setStatus({ kind: 'conflict', theirs: body.error.current, mine: snap });
        } else if (res.status >= 500 || res.status === 429 || !body) {
          throw new Error(`HTTP ${res.status}`);
        } else if (body && 'error' in body) {
          setStatus({ kind: 'error', message: body.error.message, path: body.error.problem?.path });
        }
      } catch {
        // Network down or server unavailable: the text is in local storage; retry with backoff.
        setStatus({ kind: 'offline' });
        later(retryMs.current);
        retryMs.current = Math.min(retryMs.current * 2, MAX_RETRY_MS);
      } finally {
        inFlight.current = false;
      }
    },
    [editor, lang, snapshot, statementId],
  );
  useEffect(() => {
    saveRef.current = save;
  }, [save]);

  const changed = useCallback(() => {
    const snap = snapshot();
    if (!snap) return;
    localDraft.write(statementId, lang, {
      baseVersion: version.current,
      title: snap.title,
      doc: snap.doc,
      at: Date.now(),
    });
    setCounts(docWordCount(snap.doc));
    if (paused.current) return;
    setStatus((s) => (s.kind === 'offline' ? s : { kind: 'dirty' }));
    later(DEBOUNCE_MS);
  }, [lang, snapshot, statementId]);

  // Wire editor events once it exists; save recovered unsaved text at once.
  useEffect(() => {
    if (!editor) return;
    const onUpdate = () => changed();
    const onBlur = () => void saveRef.current();
    editor.on('update', onUpdate);
    editor.on('blur', onBlur);
    if (recovered.status.kind === 'dirty') later(50);
    return () => {
      editor.off('update', onUpdate);
      editor.off('blur', onBlur);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per editor instance
  }, [editor]);

  // Flush before leaving; warn while something is unsaved; retry as soon as the connection returns.
  useEffect(() => {
    const onHide = () => {
      if (document.visibilityState === 'hidden') void save();
    };
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      const snap = snapshot();
      if (snap && !sameText(snap, lastSaved.current)) {
        void save();
        e.preventDefault();
      }
    };
    const onOnline = () => {
      retryMs.current = 2000;
      void save();
    };
    document.addEventListener('visibilitychange', onHide);
    window.addEventListener('beforeunload', onBeforeUnload);
    window.addEventListener('online', onOnline);
    return () => {
      document.removeEventListener('visibilitychange', onHide);
      window.removeEventListener('beforeunload', onBeforeUnload);
      window.removeEventListener('online', onOnline);
      if (timer.current) clearTimeout(timer.current);
    };
  }, [save, snapshot]);

  function keepMine() {
    if (status.kind !== 'conflict' || !editor) return;
    version.current = status.theirs.version;
    paused.current = false;
    editor.setEditable(true);
    void save({ resolution: 'keep_mine' });
  }

  function takeTheirs() {
    if (status.kind !== 'conflict' || !editor) return;
    const mine = snapshot();
    if (mine) {
      const kept: LocalDraft = {
        baseVersion: status.theirs.version,
        title: mine.title,
        doc: mine.doc,
        at: Date.now(),
      };
      asideDraft.write(statementId, lang, kept);
      setAside(kept);
    }
    version.current = status.theirs.version;
    lastSaved.current = { title: status.theirs.title, doc: status.theirs.doc };
    titleRef.current = status.theirs.title;
    setTitle(status.theirs.title);
    editor.commands.setContent(status.theirs.doc, { emitUpdate: false });
    setCounts(docWordCount(status.theirs.doc));
    localDraft.write(statementId, lang, null);
    paused.current = false;
    editor.setEditable(true);
    setStatus({ kind: 'idle' });
  }

  function dismissAside() {
    asideDraft.write(statementId, lang, null);
    setAside(null);
  }

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <SaveIndicator status={status} initialLabel={initial.savedAtLabel} />
        <p className="text-sm text-muted" aria-live="off">
          {t('counts', { words: counts.words, characters: counts.characters })}
        </p>
      </div>
      {status.kind === 'conflict' && editor ? (
        <ConflictPanel
          theirs={status.theirs}
          mine={status.mine}
          onKeepMine={keepMine}
          onTakeTheirs={takeTheirs}
        />
      ) : null}
      <div>
        <label htmlFor={`title-${lang}`} className="mb-1 block text-sm font-semibold">
          {titleLabel}
        </label>
        <input
          id={`title-${lang}`}
          lang={lang}
          value={title}
          maxLength={300}
          onChange={(e) => {
            setTitle(e.target.value);
            titleRef.current = e.target.value;
            changed();
          }}
          onBlur={() => void save()}
          readOnly={status.kind === 'conflict'}
          className="w-full rounded-md border border-line bg-white px-3 py-2 text-xl font-bold read-only:bg-stone-50"
        />
      </div>
      <div className="editor-frame rounded-md border border-line bg-white">
        {editor ? (
          <EditorToolbar editor={editor} />
        ) : (
          <div className="h-12 border-b border-line bg-stone-50" aria-hidden="true" />
        )}
        <div className="px-4 py-3 sm:px-6">
          {editor ? <EditorContent editor={editor} /> : <p className="text-muted">{t('loading')}</p>}
        </div>
        {editor ? <FootnoteList editor={editor} /> : null}
      </div>
      {aside ? <AsidePanel aside={aside} onDismiss={dismissAside} /> : null}
    </div>
  );
}

/** Times in the reader's time zone (the one the server pages use), not the browser's. */
function useHhmm() {
  const format = useFormatter();
  return (iso: string) => format.dateTime(new Date(iso), { timeStyle: 'short' });
}

function SaveIndicator({ status, initialLabel }: { status: Status; initialLabel: string | null }) {
  const t = useTranslations('editor');
  const hhmm = useHhmm();
  const [text, tone] = ((): [string, string] => {
    switch (status.kind) {
      case 'saving':
        return [t('saving'), 'text-muted'];
      case 'saved':
        return [t('savedAt', { time: hhmm(status.at) }), 'text-ok'];
      case 'offline':
        return [t('offline'), 'text-warn'];
      case 'conflict':
        return [t('conflict'), 'text-danger'];
      case 'error':
        return [t('saveError', { path: status.path ?? '' }), 'text-danger'];
      case 'dirty':
        return [t('unsaved'), 'text-muted'];
      default:
        return [initialLabel ? t('lastSaved', { when: initialLabel }) : t('notSavedYet'), 'text-muted'];
    }
  })();
  return (
    <p
      role="status"
      aria-live="polite"
      data-save-status={status.kind}
      className={`text-sm font-semibold ${tone}`}
    >
      {text}
    </p>
  );
}

function ConflictPanel({
  theirs,
  mine,
  onKeepMine,
  onTakeTheirs,
}: {
  theirs: Theirs;
  mine: { title: string; doc: DocJSON };
  onKeepMine: () => void;
  onTakeTheirs: () => void;
}) {
  const t = useTranslations('editor');
  const hhmm = useHhmm();
  const diffHtml = useMemo(() => {
    const d = diffDocs(theirs.doc, mine.doc);
    return renderDiffHtml(d, { onlyChanges: true, context: 1 });
  }, [theirs.doc, mine.doc]);
  return (
    <section
      aria-labelledby="conflict-heading"
      className="rounded-md border-2 border-danger bg-rose-50 p-4"
      data-testid="conflict-panel"
    >
      <h2 id="conflict-heading" className="text-lg font-bold">
        {t('conflictHeading')}
      </h2>
      <p className="mb-2">
        {theirs.updatedByName
          ? t('conflictBy', { name: theirs.updatedByName, time: hhmm(theirs.updatedAt) })
          : t('conflictUnknown')}
      </p>
      {theirs.title !== mine.title ? (
        <p className="mb-2 text-sm">{t('conflictTitles', { theirs: theirs.title, mine: mine.title })}</p>
      ) : null}
      <p className="mb-1 text-sm text-muted">{t('conflictDiffHint')}</p>
      <div
        className="diff-view mb-3 max-h-80 overflow-auto rounded border border-line bg-white p-3"
        dangerouslySetInnerHTML={{ __html: diffHtml }}
      />
      <div className="flex flex-wrap gap-2">
        <Button type="button" onClick={onKeepMine}>
          {t('keepMine')}
        </Button>
        <Button type="button" variant="secondary" onClick={onTakeTheirs}>
          {t('takeTheirs')}
        </Button>
      </div>
      <p className="mt-2 text-sm text-muted">{t('conflictExplain')}</p>
    </section>
  );
}

function AsidePanel({ aside, onDismiss }: { aside: LocalDraft; onDismiss: () => void }) {
  const t = useTranslations('editor');
  const [copied, setCopied] = useState(false);
  const html = useMemo(() => renderDoc(aside.doc, { idPrefix: 'aside' }).html, [aside.doc]);
  return (
    <aside
      aria-labelledby="aside-heading"
      className="rounded-md border border-warn bg-amber-50 p-4"
      data-testid="aside-panel"
    >
      <h2 id="aside-heading" className="text-lg font-bold">
        {t('asideHeading')}
      </h2>
      <p className="mb-2 text-sm text-muted">{t('asideHint')}</p>
      <p className="font-semibold">{aside.title}</p>
      <div
        className="statement-text max-h-80 overflow-auto rounded border border-line bg-white p-3"
        dangerouslySetInnerHTML={{ __html: html }}
      />
      <div className="mt-2 flex flex-wrap gap-2">
        <Button
          type="button"
          variant="secondary"
          onClick={() => {
            void navigator.clipboard
              ?.writeText(`${aside.title}\n\n${docPlainText(aside.doc)}`)
              .then(() => setCopied(true));
          }}
        >
          {copied ? t('copied') : t('copyText')}
        </Button>
        <Button type="button" variant="secondary" onClick={onDismiss}>
          {t('dismissAside')}
        </Button>
      </div>
    </aside>
  );
}

function FootnoteList({ editor }: { editor: NonNullable<ReturnType<typeof useEditor>> }) {
  const t = useTranslations('editor');
  const notes = useEditorState({
    editor,
    selector: ({ editor: e }) => {
      const out: string[] = [];
      e.state.doc.descendants((n) => {
        if (n.type.name === 'footnote') out.push(String(n.attrs.text ?? '').slice(0, FOOTNOTE_MAX_CHARS));
        return true;
      });
      return out;
    },
    equalityFn: (a, b) => !!b && a.length === b.length && a.every((v, i) => v === b[i]),
  });
  if (notes.length === 0) return null;
  return (
    <section aria-label={t('notesHeading')} className="border-t border-line px-4 py-3 text-sm sm:px-6">
      <h2 className="mb-1 font-semibold">{t('notesHeading')}</h2>
      <ol className="list-decimal pl-5">
        {notes.map((n, i) => (
          <li key={i}>{n || <span className="text-muted">{t('emptyNote')}</span>}</li>
        ))}
      </ol>
    </section>
  );
}
