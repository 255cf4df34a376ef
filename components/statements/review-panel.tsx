'use client';
// The review page's interactive part: the current draft (server HTML) where a selected passage can be commented
// on, the anchored passages highlighted (located with lib/anchors.ts over the text's textContent and wrapped in
// <mark> through DOM ranges — never stored in the document), and the threads beside it (below on phones).
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useFormatter, useTranslations } from 'next-intl';
import { useActionState, useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { addCommentAction, reopenCommentAction, resolveCommentAction } from '@/app/_actions/comments';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/card';
import { buildQuoteSelector, locateQuote, type QuoteMatch, type TextQuoteSelector } from '@/lib/anchors';

export type ReviewComment = {
  id: string;
  /** The body as escaped HTML with its links made clickable (rendered on the server). */
  bodyHtml: string;
  authorName: string | null;
  orgName: string | null;
  createdAt: string;
};
export type ReviewThread = ReviewComment & {
  anchor: { lang: string; version: number; exact: string; prefix: string; suffix: string } | null;
  resolved: boolean;
  resolvedByName: string | null;
  replies: ReviewComment[];
};

export type ReviewPanelProps = {
  statementId: string;
  lang: string;
  dir: 'ltr' | 'rtl';
  version: number;
  title: string;
  /** The draft rendered on the server (lib/editor/render.ts), and its text content (lib/anchors.ts textOfHtml). */
  html: string;
  text: string;
  threads: ReviewThread[];
  /** Language names, by code, in the interface language. */
  languageNames: Record<string, string>;
  canComment: boolean;
  canResolve: boolean;
};

type Filter = 'open' | 'resolved' | 'all';
type Result =
  { ok: true } | { ok: false; code: string; message: string; fieldErrors?: Record<string, string[]> };
type Pending = { selector: TextQuoteSelector };

const MARK_CLASS =
  'comment-mark rounded-sm bg-amber-100 text-inherit underline decoration-amber-600 decoration-2 underline-offset-2';
const MARK_ACTIVE = ['bg-amber-300', 'outline', 'outline-2', 'outline-amber-700'];

/** Character offset of a DOM boundary point within `root`'s textContent. */
function offsetIn(root: Node, container: Node, offset: number): number {
  const r = document.createRange();
  r.selectNodeContents(root);
  r.setEnd(container, offset);
  return r.toString().length;
}

function clearMarks(root: HTMLElement) {
  for (const m of Array.from(root.querySelectorAll('mark[data-comment-id]')))
    m.replaceWith(...Array.from(m.childNodes));
  root.normalize();
}

/** Wrap text[start, end) of `root` in <mark> elements, one per text node the range crosses. */
function wrapRange(root: HTMLElement, start: number, end: number, id: string) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const parts: { node: Text; s: number; e: number }[] = [];
  let pos = 0;
  for (let n = walker.nextNode(); n && pos < end; n = walker.nextNode()) {
    const t = n as Text;
    const s = Math.max(start, pos);
    const e = Math.min(end, pos + t.data.length);
    if (s < e && t.data.trim()) parts.push({ node: t, s: s - pos, e: e - pos });
    pos += t.data.length;
  }
  for (const { node, s, e } of parts) {
    let target = node;
    if (s > 0) target = target.splitText(s);
    if (e - s < target.data.length) target.splitText(e - s);
    const mark = document.createElement('mark');
    mark.dataset.commentId = id;
    mark.className = MARK_CLASS;
    mark.tabIndex = -1;
    target.parentNode!.insertBefore(mark, target);
    mark.appendChild(target);
  }
}

function useErrorText() {
  const t = useTranslations();
  return (r: Result | null, field?: string) => {
    if (!r || r.ok) return undefined;
    // Without a field: the first field's error (e.g. a quote too long), else the general message.
    const firstField = r.fieldErrors ? Object.values(r.fieldErrors)[0]?.[0] : undefined;
    const key = field ? r.fieldErrors?.[field]?.[0] : (firstField ?? r.message);
    return key ? (key.startsWith('errors.') ? t(key) : t('errors.unexpected')) : undefined;
  };
}

/** A comment form: a new thread (on a passage or on the whole statement) or a reply. */
function CommentForm({
  statementId,
  idBase,
  anchor,
  parentId,
  label,
  submitLabel,
  onDone,
  autoFocus,
}: {
  statementId: string;
  idBase: string;
  anchor?: (TextQuoteSelector & { lang: string; version: number }) | null;
  parentId?: string;
  label: string;
  submitLabel: string;
  onDone: () => void;
  autoFocus?: boolean;
}) {
  const t = useTranslations('comments');
  const router = useRouter();
  const errorText = useErrorText();
  const [body, setBody] = useState('');
  const [state, formAction, isPending] = useActionState(async (_prev: Result | null, fd: FormData) => {
    const r = (await addCommentAction(null, fd)) as Result;
    if (r.ok) {
      setBody('');
      onDone();
      router.refresh();
    }
    return r;
  }, null);
  const error = errorText(state, 'body') ?? errorText(state);
  const id = `${idBase}-body`;
  return (
    <form action={formAction} className="flex flex-col gap-2">
      <input type="hidden" name="statementId" value={statementId} />
      {parentId ? <input type="hidden" name="parentId" value={parentId} /> : null}
      {anchor ? (
        <>
          <input type="hidden" name="anchorLang" value={anchor.lang} />
          <input type="hidden" name="anchorVersion" value={String(anchor.version)} />
          <input type="hidden" name="anchorExact" value={anchor.exact} />
          <input type="hidden" name="anchorPrefix" value={anchor.prefix} />
          <input type="hidden" name="anchorSuffix" value={anchor.suffix} />
        </>
      ) : null}
      <label htmlFor={id} className="text-sm font-semibold">
        {label}
      </label>
      <textarea
        id={id}
        name="body"
        required
        maxLength={4000}
        rows={3}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        autoFocus={autoFocus}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        className="min-h-20 rounded-md border border-stone-400 bg-white px-3 py-2 text-base"
      />
      {error ? (
        <p id={`${id}-error`} className="text-sm text-danger" role="alert">
          {error}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={isPending}>
          {isPending ? t('posting') : submitLabel}
        </Button>
        <Button type="button" variant="secondary" onClick={onDone}>
          {t('cancel')}
        </Button>
      </div>
    </form>
  );
}

/** Resolve or reopen a thread (initiators). */
function ResolveButton({ statementId, thread }: { statementId: string; thread: ReviewThread }) {
  const t = useTranslations('comments');
  const router = useRouter();
  const errorText = useErrorText();
  const [state, formAction, isPending] = useActionState(async (_prev: Result | null, fd: FormData) => {
    const r = (await (thread.resolved ? reopenCommentAction : resolveCommentAction)(null, fd)) as Result;
    if (r.ok) router.refresh();
    return r;
  }, null);
  const error = errorText(state);
  return (
    <form action={formAction} className="inline">
      <input type="hidden" name="statementId" value={statementId} />
      <input type="hidden" name="commentId" value={thread.id} />
      <Button type="submit" variant="secondary" disabled={isPending}>
        {thread.resolved ? t('reopen') : t('resolve')}
      </Button>
      {error ? (
        <p className="text-sm text-danger" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}

function Meta({ c }: { c: ReviewComment }) {
  const t = useTranslations('comments');
  const format = useFormatter();
  return (
    <p className="text-sm text-muted">
      <span className="font-semibold text-ink">{c.authorName ?? t('unknownAuthor')}</span>
      {c.orgName ? <> · {c.orgName}</> : null} ·{' '}
      <time dateTime={c.createdAt}>
        {format.dateTime(new Date(c.createdAt), { dateStyle: 'medium', timeStyle: 'short' })}
      </time>
    </p>
  );
}

const Body = ({ c }: { c: ReviewComment }) => (
  <p
    className="whitespace-pre-wrap break-words [&_a]:text-accent [&_a]:underline"
    dangerouslySetInnerHTML={{ __html: c.bodyHtml }}
  />
);

function Thread({
  props,
  thread,
  location,
  active,
  onShow,
}: {
  props: ReviewPanelProps;
  thread: ReviewThread;
  location: QuoteMatch | null | undefined;
  active: boolean;
  onShow: (id: string) => void;
}) {
  const t = useTranslations('comments');
  const [replying, setReplying] = useState(false);
  const a = thread.anchor;
  const here = a?.lang === props.lang;
  const quote = a ? (a.exact.length > 240 ? `${a.exact.slice(0, 240)}…` : a.exact) : null;
  return (
    <li
      id={`thread-${thread.id}`}
      data-comment-id={thread.id}
      data-resolved={thread.resolved ? 'true' : 'false'}
      data-detached={here && location === null ? 'true' : undefined}
      className={`flex flex-col gap-2 rounded-md border bg-white p-3 ${active ? 'border-amber-700 ring-2 ring-amber-300' : 'border-line'} ${thread.resolved ? 'opacity-90' : ''}`}
    >
      {!a ? (
        <p className="text-xs font-semibold uppercase tracking-wide text-muted">{t('onWhole')}</p>
      ) : !here ? (
        <p className="text-xs font-semibold text-muted">
          <Link
            href={`/statements/${props.statementId}/review/${a.lang}#thread-${thread.id}`}
            className="text-accent underline"
          >
            {t('otherLanguage', { language: props.languageNames[a.lang] ?? a.lang })}
          </Link>
        </p>
      ) : location === null ? (
        <p className="text-sm font-semibold text-amber-900" data-testid="detached">
          {t('detached')}
        </p>
      ) : location?.method === 'fuzzy' ? (
        <p className="text-xs text-muted">{t('changedPassage')}</p>
      ) : null}
      {quote ? (
        here && location ? (
          <button
            type="button"
            onClick={() => onShow(thread.id)}
            className="rounded border-l-4 border-amber-500 bg-amber-50 px-2 py-1 text-left text-sm hover:bg-amber-100"
            lang={a!.lang}
          >
            <span className="sr-only">{t('showPassage')} </span>
            <q>{quote}</q>
          </button>
        ) : (
          <blockquote className="border-l-4 border-stone-300 px-2 py-1 text-sm text-muted" lang={a!.lang}>
            <q>{quote}</q>
          </blockquote>
        )
      ) : null}
      <Meta c={thread} />
      <Body c={thread} />
      {thread.resolved ? (
        <p className="text-sm font-semibold text-ok">
          {thread.resolvedByName ? t('resolvedBy', { name: thread.resolvedByName }) : t('resolved')}
        </p>
      ) : null}
      {thread.replies.length ? (
        <ol
          className="flex flex-col gap-2 border-l-2 border-line pl-3"
          aria-label={t('replies', { count: thread.replies.length })}
        >
          {thread.replies.map((r) => (
            <li key={r.id} data-comment-id={r.id} className="flex flex-col gap-1">
              <Meta c={r} />
              <Body c={r} />
            </li>
          ))}
        </ol>
      ) : null}
      {replying ? (
        <CommentForm
          statementId={props.statementId}
          idBase={`reply-${thread.id}`}
          parentId={thread.id}
          label={t('replyLabel')}
          submitLabel={t('submitReply')}
          onDone={() => setReplying(false)}
          autoFocus
        />
      ) : props.canComment || props.canResolve ? (
        <div className="flex flex-wrap gap-2">
          {props.canComment ? (
            <Button type="button" variant="secondary" onClick={() => setReplying(true)}>
              {t('reply')}
            </Button>
          ) : null}
          {props.canResolve ? <ResolveButton statementId={props.statementId} thread={thread} /> : null}
        </div>
      ) : null}
    </li>
  );
}

export function ReviewPanel(props: ReviewPanelProps) {
  const t = useTranslations('comments');
  const { threads, lang, text, html } = props;
  const textRef = useRef<HTMLDivElement>(null);
  const [filter, setFilter] = useState<Filter>('open');
  const [pending, setPending] = useState<Pending | null>(null);
  const [composing, setComposing] = useState<'passage' | 'whole' | null>(null);
  const [active, setActive] = useState<string | null>(null);

  // Where each anchored thread of this language is in the text now (deterministic: the same on server and client).
  const locations = useMemo(() => {
    const out: Record<string, QuoteMatch | null> = {};
    for (const th of threads) if (th.anchor?.lang === lang) out[th.id] = locateQuote(text, th.anchor);
    return out;
  }, [threads, lang, text]);

  const counts = {
    open: threads.filter((x) => !x.resolved).length,
    resolved: threads.filter((x) => x.resolved).length,
    all: threads.length,
  };
  const shown = threads.filter((x) => filter === 'all' || (filter === 'open') === !x.resolved);
  const shownIds = shown.map((x) => x.id).join(',');

  // Highlight the located passages of the threads shown.
  useEffect(() => {
    const root = textRef.current;
    if (!root) return;
    clearMarks(root);
    const domText = root.textContent ?? '';
    const visible = new Set(shownIds.split(','));
    for (const th of threads) {
      if (!visible.has(th.id) || th.anchor?.lang !== lang) continue;
      const at = domText === text ? locations[th.id] : locateQuote(domText, th.anchor);
      if (at) wrapRange(root, at.start, at.end, th.id);
    }
    return () => clearMarks(root);
  }, [html, threads, lang, text, locations, shownIds]);

  // The active thread's passage stands out.
  useEffect(() => {
    const root = textRef.current;
    if (!root) return;
    for (const m of Array.from(root.querySelectorAll<HTMLElement>('mark[data-comment-id]')))
      for (const c of MARK_ACTIVE) m.classList.toggle(c, m.dataset.commentId === active);
  }, [active, shownIds, html]);

  // A selection inside the text offers "Comment on this passage".
  useEffect(() => {
    if (!props.canComment) return;
    const onChange = () => {
      const root = textRef.current;
      const sel = document.getSelection();
      if (!root || !sel || sel.rangeCount === 0) return;
      const r = sel.getRangeAt(0);
      const inside = root.contains(r.startContainer) && root.contains(r.endContainer);
      if (sel.isCollapsed || !inside) {
        // Moving into the open form collapses the selection: keep the passage it is about.
        if (composing !== 'passage') setPending(null);
        return;
      }
      const selector = buildQuoteSelector(
        root.textContent ?? '',
        offsetIn(root, r.startContainer, r.startOffset),
        offsetIn(root, r.endContainer, r.endOffset),
      );
      setPending(selector ? { selector } : null);
    };
    document.addEventListener('selectionchange', onChange);
    return () => document.removeEventListener('selectionchange', onChange);
  }, [props.canComment, composing]);

  const show = (id: string) => {
    setActive(id);
    const mark = textRef.current?.querySelector<HTMLElement>(`mark[data-comment-id="${id}"]`);
    if (mark) {
      mark.scrollIntoView({ block: 'center', behavior: 'smooth' });
      mark.focus({ preventScroll: true });
    }
  };
  const onTextClick = (e: MouseEvent<HTMLDivElement>) => {
    const mark = (e.target as HTMLElement).closest?.('mark[data-comment-id]') as HTMLElement | null;
    if (!mark?.dataset.commentId) return;
    const id = mark.dataset.commentId;
    setActive(id);
    document.getElementById(`thread-${id}`)?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  };
  const closeComposer = () => {
    setComposing(null);
    setPending(null);
  };

  const quotePreview = pending
    ? pending.selector.exact.length > 120
      ? `${pending.selector.exact.slice(0, 120)}…`
      : pending.selector.exact
    : '';

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
      <section aria-labelledby="review-text-heading" className="flex min-w-0 flex-col gap-3">
        <h2 id="review-text-heading" className="sr-only">
          {t('textHeading', { language: props.languageNames[lang] ?? lang, version: props.version })}
        </h2>
        {props.canComment ? (
          <div className="sticky top-0 z-10 flex min-h-14 flex-wrap items-center gap-3 rounded-md border border-line bg-stone-50/95 px-3 py-2 shadow-sm">
            {pending && composing !== 'passage' ? (
              <>
                <Button
                  type="button"
                  // Keep the selection: a click on the button must not collapse it before it is read.
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => setComposing('passage')}
                >
                  {t('commentOnPassage')}
                </Button>
                <span className="min-w-0 flex-1 truncate text-sm text-muted" lang={lang}>
                  <q>{quotePreview}</q>
                </span>
              </>
            ) : composing === 'passage' ? (
              <span className="text-sm font-semibold">{t('newCommentHeading')}</span>
            ) : (
              <span className="text-sm text-muted">{t('selectHint')}</span>
            )}
            <p className="sr-only" aria-live="polite">
              {pending && composing !== 'passage' ? t('passageSelected', { quote: quotePreview }) : ''}
            </p>
          </div>
        ) : null}
        {composing === 'passage' && pending ? (
          <div className="rounded-md border border-amber-700 bg-amber-50 p-3">
            <p className="mb-2 text-sm font-semibold">{t('passageLabel')}</p>
            <blockquote className="mb-3 border-l-4 border-amber-500 pl-2 text-sm" lang={lang}>
              <q>{quotePreview}</q>
            </blockquote>
            <CommentForm
              statementId={props.statementId}
              idBase="passage-comment"
              anchor={{ ...pending.selector, lang, version: props.version }}
              label={t('bodyLabel')}
              submitLabel={t('submit')}
              onDone={closeComposer}
              autoFocus
            />
          </div>
        ) : null}
        <div className="rounded-md border border-line bg-white p-4">
          <p className="mb-3 text-xl font-bold break-words" lang={lang} dir={props.dir}>
            {props.title}
          </p>
          {text.trim() ? (
            // Clicks on highlighted passages select their thread; keyboard users reach it from the thread.
            <div
              ref={textRef}
              onClick={onTextClick}
              className="statement-text"
              lang={lang}
              dir={props.dir}
              data-testid="review-text"
              dangerouslySetInnerHTML={{ __html: html }}
            />
          ) : (
            <EmptyState title={t('emptyText')} />
          )}
        </div>
      </section>

      <section aria-labelledby="comments-heading" className="flex min-w-0 flex-col gap-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="comments-heading" className="text-lg font-semibold">
            {t('heading')}
          </h2>
          <p className="text-sm text-muted" data-testid="open-count">
            {t('openCount', { count: counts.open })}
          </p>
        </div>
        <div role="group" aria-label={t('filterLabel')} className="flex flex-wrap gap-1">
          {(['open', 'resolved', 'all'] as const).map((f) => (
            <button
              key={f}
              type="button"
              aria-pressed={filter === f}
              onClick={() => setFilter(f)}
              className="min-h-11 rounded-full border border-line px-3 text-sm hover:bg-stone-100 aria-pressed:border-accent aria-pressed:bg-accent aria-pressed:text-white"
            >
              {t(f === 'open' ? 'filterOpen' : f === 'resolved' ? 'filterResolved' : 'filterAll', {
                count: counts[f],
              })}
            </button>
          ))}
        </div>
        {props.canComment ? (
          composing === 'whole' ? (
            <div className="rounded-md border border-line bg-stone-50 p-3">
              <CommentForm
                statementId={props.statementId}
                idBase="whole-comment"
                label={t('commentOnWhole')}
                submitLabel={t('submit')}
                onDone={closeComposer}
                autoFocus
              />
            </div>
          ) : (
            <Button type="button" variant="secondary" onClick={() => setComposing('whole')}>
              {t('commentOnWhole')}
            </Button>
          )
        ) : (
          <Alert tone="info">{t('closed')}</Alert>
        )}
        {threads.length === 0 ? (
          <EmptyState title={t('empty')} hint={props.canComment ? t('emptyHint') : undefined} />
        ) : shown.length === 0 ? (
          <EmptyState title={t('emptyFiltered')} />
        ) : (
          <ol className="flex flex-col gap-3" aria-label={t('heading')}>
            {shown.map((th) => (
              <Thread
                key={th.id}
                props={props}
                thread={th}
                location={locations[th.id]}
                active={active === th.id}
                onShow={show}
              />
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
