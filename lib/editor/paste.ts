/**
 * Pasted HTML → HTML the editor's schema reads as structure only: headings, paragraphs, lists, quotes,
 * bold/italic/underline, links and footnotes survive; styles, colours, fonts, classes, images, tables
 * (their text stays, as paragraphs) and scripts do not. Used as Tiptap's `editorProps.transformPastedHTML`.
 *
 * Knows the clipboard shapes of Word desktop (mso-list paragraphs with marker text in
 * `<![if !supportLists]>` or `mso-list:Ignore` spans, `<o:p>`, footnotes in `mso-element:footnote`
 * divs), Google Docs (the `<b id="docs-internal-guid-…">` wrapper, styled spans, nested lists as
 * siblings of `<li>`, `<br>` between paragraphs) and LibreOffice (`<font>` wrappers, `class="western"`).
 *
 * Isomorphic: no DOM access at import time. The HTML is parsed into an inert document (DOMParser: no
 * scripts run, no images load) and only that document is changed.
 */
import { FOOTNOTE_MAX_CHARS, isAllowedHref } from './extensions';

export type HtmlParser = (html: string) => Document;

const words = (list: string) => list.split(' ');

const ELEMENT = 1;
const TEXT = 3;
const COMMENT = 8;

/** Removed with their content. */
const DROP = new Set(
  words(
    'script style iframe frame frameset object embed applet param img picture source video audio track canvas svg map area input select textarea option optgroup datalist meter progress noscript noembed noframes template head title meta link base xml colgroup col',
  ),
);

/** Elements the output may contain (attributes aside). */
const KEEP = new Set(words('p h2 h3 ul ol li blockquote hr br strong em u a sup'));

/** Block containers that become a paragraph when they hold only inline content, and are unwrapped otherwise. */
const CONTAINERS = new Set(
  words(
    'div section article header footer main nav aside figure figcaption address center dl dt dd td th caption details summary fieldset legend form listing xmp plaintext hgroup search dialog',
  ),
);

/** Unwrapped: the table's cells become paragraphs (see CONTAINERS). */
const TABLE_PARTS = new Set(['table', 'thead', 'tbody', 'tfoot', 'tr']);

const BLOCKS = new Set([
  ...CONTAINERS,
  ...TABLE_PARTS,
  ...words('pre p h1 h2 h3 h4 h5 h6 ul ol li blockquote hr menu dir'),
]);

const OL_TYPES: Record<string, string> = {
  'lower-alpha': 'a',
  'lower-latin': 'a',
  'upper-alpha': 'A',
  'upper-latin': 'A',
  'lower-roman': 'i',
  'upper-roman': 'I',
};

const defaultParser: HtmlParser = (html) => new DOMParser().parseFromString(html, 'text/html');

/** Clean pasted HTML (Word, Google Docs, LibreOffice, web pages, this editor) down to the editor's structure. */
export function cleanPastedHtml(html: string, parser: HtmlParser = defaultParser): string {
  const doc = parser(html);
  const body = doc.body;
  if (!body) return '';
  removeJunk(body);
  convertWordNotes(body, doc);
  convertWordLists(body, doc);
  removeComments(body);
  convertStyles(body, doc);
  normalizeElements(body, doc);
  fixLists(body, doc);
  stripAttributes(body);
  tidy(body);
  return body.innerHTML.trim();
}

// ---------------------------------------------------------------------------------------------- helpers

const nameOf = (el: Element) => el.tagName.toLowerCase();
const isElement = (n: Node | null): n is Element => n?.nodeType === ELEMENT;
const isBlank = (n: Node) =>
  n.nodeType === COMMENT ||
  (n.nodeType === TEXT && !/[^\s]/.test(n.textContent ?? '')) ||
  (isElement(n) && nameOf(n) === 'wbr');
const isBlock = (n: Node | null) => isElement(n) && BLOCKS.has(nameOf(n));
const elements = (root: Element) => Array.from(root.querySelectorAll('*'));

/** `style` attribute as lower-case property → lower-case value (ours: DOM `style` objects drop mso-* properties). */
function styles(el: Element): Map<string, string> {
  const out = new Map<string, string>();
  const s = el.getAttribute('style');
  if (!s) return out;
  for (const part of s.split(';')) {
    const i = part.indexOf(':');
    if (i < 0) continue;
    const prop = part.slice(0, i).trim().toLowerCase();
    const value = part
      .slice(i + 1)
      .replace(/!important/i, '')
      .trim()
      .toLowerCase();
    if (prop) out.set(prop, value);
  }
  return out;
}

function unwrap(el: Element) {
  const parent = el.parentNode;
  if (!parent) return;
  while (el.firstChild) parent.insertBefore(el.firstChild, el);
  el.remove();
}

function rename(el: Element, tag: string, doc: Document): Element {
  const next = doc.createElement(tag);
  for (const a of Array.from(el.attributes)) next.setAttribute(a.name, a.value);
  while (el.firstChild) next.appendChild(el.firstChild);
  el.replaceWith(next);
  return next;
}

/** Wrap all of `el`'s children in the given (nested) elements. */
function wrapChildren(el: Element, tags: string[], doc: Document) {
  if (!tags.length || !el.firstChild) return;
  const outer = doc.createElement(tags[0]!);
  let inner = outer;
  for (const t of tags.slice(1)) inner = inner.appendChild(doc.createElement(t));
  while (el.firstChild) inner.appendChild(el.firstChild);
  el.appendChild(outer);
}

/** The nearest sibling that is not blank text or a comment (nor a `<br>`, with `skipBreaks`). */
function significantSibling(n: Node, dir: 'next' | 'prev', skipBreaks = false): Node | null {
  const step = (x: Node) => (dir === 'next' ? x.nextSibling : x.previousSibling);
  let s = step(n);
  while (s && (isBlank(s) || (skipBreaks && isElement(s) && nameOf(s) === 'br'))) s = step(s);
  return s;
}

const isEmptyText = (el: Element) => !/[^\s\u00a0\u200b\ufeff]/.test(el.textContent ?? '');

// ------------------------------------------------------------------------------------------------ steps

/** Dropped elements, Office namespaces (`<o:p>`, VML) and text hidden in the source document. */
function removeJunk(body: Element) {
  for (const el of elements(body)) {
    if (!el.isConnected) continue;
    const name = nameOf(el);
    const st = styles(el);
    if (
      DROP.has(name) ||
      /^[ov]:/.test(name) ||
      st.get('display') === 'none' ||
      st.get('mso-hide') === 'all' ||
      /^(comment|annotation)/.test(st.get('mso-element') ?? '')
    )
      el.remove();
  }
}

/** Word footnotes and endnotes → the editor's footnote atoms (note text from the notes list at the end). */
function convertWordNotes(body: Element, doc: Document) {
  const notes = new Map<string, string>();
  const lists: Element[] = [];
  for (const el of elements(body)) {
    const kind = styles(el).get('mso-element') ?? '';
    if (!/^(footnote|endnote)/.test(kind)) continue;
    lists.push(el);
    if ((kind === 'footnote' || kind === 'endnote') && el.id) {
      const copy = el.cloneNode(true) as Element;
      for (const a of elements(copy)) if (noteId(a)) a.remove();
      notes.set(el.id.toLowerCase(), (copy.textContent ?? '').replace(/\s+/g, ' ').trim());
    }
  }
  for (const el of lists) el.remove();
  for (const a of elements(body)) {
    const id = noteId(a);
    if (!id || !a.isConnected) continue;
    const text = notes.get(id);
    if (text) {
      const sup = doc.createElement('sup');
      sup.setAttribute('data-footnote', text.slice(0, FOOTNOTE_MAX_CHARS));
      a.replaceWith(sup);
    } else a.remove();
  }
}

function noteId(el: Element): string | null {
  if (nameOf(el) !== 'a') return null;
  const st = styles(el);
  return st.get('mso-footnote-id') ?? st.get('mso-endnote-id') ?? null;
}

// Word lists ----------------------------------------------------------------------------------------------

type WordListInfo = { listId: string; level: number };

function wordListInfo(el: Element): WordListInfo | null {
  const m = /\bl(\d+)\s+level(\d+)(?:\s+lfo(\d+))?/.exec(styles(el).get('mso-list') ?? '');
  if (!m) return null;
  return { listId: `${m[1]}/${m[3] ?? ''}`, level: Math.min(9, Math.max(1, Number(m[2]))) };
}

const isConditional = (n: Node, re: RegExp) =>
  n.nodeType === COMMENT && re.test((n.textContent ?? '').trim());
const IF_SUPPORT = /^\[if !support\w*\]$/i;
const IF_SUPPORT_LISTS = /^\[if !supportLists\]$/i;
const ENDIF = /^\[endif\]$/i;

function commentsIn(root: Node): Node[] {
  const out: Node[] = [];
  const walk = (n: Node) => {
    for (const c of Array.from(n.childNodes)) {
      if (c.nodeType === COMMENT) out.push(c);
      else if (c.nodeType === ELEMENT) walk(c);
    }
  };
  walk(root);
  return out;
}

/**
 * The nodes between a `[if …]` comment and its `[endif]` sibling (Word's downlevel-revealed conditional
 * comments parse as comments around ordinary content), removed with both comments. Null when unmatched.
 */
function takeConditional(start: Node): Node[] | null {
  const taken: Node[] = [];
  let n = start.nextSibling;
  while (n && !isConditional(n, ENDIF)) {
    taken.push(n);
    n = n.nextSibling;
  }
  if (!n) return null;
  n.parentNode?.removeChild(n);
  start.parentNode?.removeChild(start);
  for (const t of taken) t.parentNode?.removeChild(t);
  return taken;
}

const usesSymbolFont = (n: Node): boolean =>
  isElement(n) &&
  [n, ...elements(n)].some((e) => /symbol|wingdings|webdings/.test(styles(e).get('font-family') ?? ''));

/** Remove the list marker Word writes into the paragraph; return its text and whether it is in a symbol font. */
function takeMarker(p: Element): { text: string; symbol: boolean } {
  let text = '';
  let symbol = false;
  for (const c of commentsIn(p)) {
    if (!c.parentNode || !isConditional(c, IF_SUPPORT_LISTS)) continue;
    const nodes = takeConditional(c);
    for (const n of nodes ?? []) {
      text += n.textContent ?? '';
      symbol ||= usesSymbolFont(n);
    }
  }
  for (const span of Array.from(p.querySelectorAll('span'))) {
    if (!span.isConnected || styles(span).get('mso-list') !== 'ignore') continue;
    text += span.textContent ?? '';
    for (let e: Element | null = span; e && e !== p; e = e.parentElement) symbol ||= usesSymbolFont(e);
    span.remove();
  }
  return { text: text.replace(/[\s\u00a0]+/g, ''), symbol };
}

type Marker = { ordered: boolean; type?: string; start?: number };

const ROMAN: Record<string, number> = { i: 1, v: 5, x: 10, l: 50, c: 100, d: 500, m: 1000 };
function romanValue(s: string): number {
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    const v = ROMAN[s[i]!]!;
    const next = ROMAN[s[i + 1] ?? ''] ?? 0;
    total += v < next ? -v : v;
  }
  return total;
}

/** "1." "a)" "iv." "1.2." "(b)" "а)" → numbered; "·" "o" "§" "•" "–" "-" (or a symbol font) → bullet. */
function classifyMarker(text: string, symbol = false): Marker {
  const t = text.trim();
  const ordered =
    !symbol && (/^\d+$/.test(t) || /^\(?(?:\d+|\p{L}{1,4})(?:[.)](?:\d+|\p{L}{1,4}))*[.)]$/u.test(t));
  if (!ordered) return { ordered: false };
  const last = /(\d+|\p{L}{1,4})[.)]?$/u.exec(t)?.[1] ?? '';
  let type: string | undefined;
  let start: number | undefined;
  if (/^\d+$/.test(last)) start = Number(last);
  else if (
    /^(?:i|[ivxlcdm]{2,})$/i.test(last) &&
    /^m*(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$/i.test(last)
  ) {
    type = last === last.toLowerCase() ? 'i' : 'I';
    start = romanValue(last.toLowerCase());
  } else if (/^([a-z])\1*$/i.test(last)) {
    type = last === last.toLowerCase() ? 'a' : 'A';
    start = (last.length - 1) * 26 + (last.toLowerCase().charCodeAt(0) - 96);
  }
  return { ordered: true, type, start: start && start > 1 && start <= 100_000 ? start : undefined };
}

type ListItem = {
  level: number;
  ordered: boolean;
  listId: string;
  type?: string;
  start?: number;
  li: Element;
};

/** Flat items with levels → nested lists; a change of kind (or of Word list at level 1) starts a new list. */
function buildLists(items: ListItem[], doc: Document): Element[] {
  const out: Element[] = [];
  const stack: { list: Element; level: number; ordered: boolean; listId: string }[] = [];
  for (const item of items) {
    while (stack.length && stack.at(-1)!.level > item.level) stack.pop();
    let top = stack.at(-1);
    if (
      top &&
      top.level === item.level &&
      (top.ordered !== item.ordered || (item.level === 1 && top.listId !== item.listId))
    ) {
      stack.pop();
      top = stack.at(-1);
    }
    if (!top || top.level < item.level) {
      const list = doc.createElement(item.ordered ? 'ol' : 'ul');
      if (item.ordered && item.type) list.setAttribute('type', item.type);
      if (item.ordered && item.start) list.setAttribute('start', String(item.start));
      if (top) {
        let li = top.list.lastElementChild;
        if (!li) li = top.list.appendChild(doc.createElement('li'));
        li.appendChild(list);
      } else out.push(list);
      top = { list, level: item.level, ordered: item.ordered, listId: item.listId };
      stack.push(top);
    }
    top.list.appendChild(item.li);
  }
  return out;
}

/** Next element sibling when only blank text or comments lie between; null when text or nothing follows. */
function nextElement(el: Element): Element | null {
  const n = significantSibling(el, 'next');
  return isElement(n) ? n : null;
}

const isListContinuation = (el: Element) =>
  nameOf(el) === 'p' && /\bMsoListParagraphCxSp(Middle|Last)\b/.test(el.getAttribute('class') ?? '');

/** Runs of Word's `mso-list` paragraphs → real nested `<ul>`/`<ol>` lists, without the marker text. */
function convertWordLists(body: Element, doc: Document) {
  for (const el of elements(body)) {
    if (!el.isConnected || !wordListInfo(el)) continue;
    const name = nameOf(el);
    if (name !== 'p' && name !== 'div') {
      takeMarker(el); // numbered headings: the number is not text
      continue;
    }
    const items: ListItem[] = [];
    const run: Element[] = [];
    for (let cur: Element | null = el; cur; cur = nextElement(cur)) {
      const info = wordListInfo(cur);
      const cname = nameOf(cur);
      if (info && (cname === 'p' || cname === 'div')) {
        const { text, symbol } = takeMarker(cur);
        const marker = classifyMarker(text, symbol);
        const li = doc.createElement('li');
        const p = li.appendChild(doc.createElement('p'));
        while (cur.firstChild) p.appendChild(cur.firstChild);
        items.push({ ...info, ...marker, li });
      } else if (items.length && isListContinuation(cur)) {
        const p = doc.createElement('p');
        while (cur.firstChild) p.appendChild(cur.firstChild);
        items.at(-1)!.li.appendChild(p);
      } else break;
      run.push(cur);
    }
    const lists = buildLists(items, doc);
    for (const list of lists) run[0]!.parentNode!.insertBefore(list, run[0]!);
    for (const r of run) r.remove();
  }
}

// Comments, styles, elements ------------------------------------------------------------------------------

/** Comments go; so does the fallback content of Word's `[if !support…]` conditionals (markers, "[1]", extra `<br>`). */
function removeComments(body: Element) {
  for (const c of commentsIn(body)) {
    if (!c.parentNode) continue;
    if (isConditional(c, IF_SUPPORT) && takeConditional(c)) continue;
    c.parentNode.removeChild(c);
  }
}

function isBoldWeight(v: string | undefined): boolean {
  if (!v) return false;
  if (v === 'bold' || v === 'bolder') return true;
  return /^\d+$/.test(v) && Number(v) >= 600;
}
const isNormalWeight = (v: string | undefined) =>
  v === 'normal' || v === 'lighter' || (!!v && /^\d+$/.test(v) && Number(v) < 600);

/**
 * Inline formatting given by CSS becomes elements the schema reads (`<strong>`, `<em>`, `<u>`) before the
 * styles are stripped; `<b>`/`<i>` that CSS makes normal (Google Docs' wrapper) are unwrapped.
 */
function convertStyles(body: Element, doc: Document) {
  for (const el of elements(body)) {
    if (!el.isConnected) continue;
    const name = nameOf(el);
    const st = styles(el);
    const font = st.get('font') ?? '';
    if (
      (name === 'b' || name === 'strong') &&
      (el.id.startsWith('docs-internal-guid') || isNormalWeight(st.get('font-weight')))
    ) {
      unwrap(el);
      continue;
    }
    if ((name === 'i' || name === 'em') && st.get('font-style') === 'normal') {
      unwrap(el);
      continue;
    }
    if (!st.size) continue;
    const tags: string[] = [];
    if (
      name !== 'b' &&
      name !== 'strong' &&
      (isBoldWeight(st.get('font-weight')) || /(^|\s)(bold|bolder|[6-9]00)(\s|$)/.test(font))
    )
      tags.push('strong');
    if (
      name !== 'i' &&
      name !== 'em' &&
      (/^(italic|oblique)/.test(st.get('font-style') ?? '') || /(^|\s)(italic|oblique)(\s|$)/.test(font))
    )
      tags.push('em');
    const decoration = `${st.get('text-decoration') ?? ''} ${st.get('text-decoration-line') ?? ''}`;
    const msoUnderline = st.get('text-underline');
    // A link's own underline (Google Docs styles every link's span) is the link, not an underline mark.
    if (
      name !== 'u' &&
      (decoration.includes('underline') || (msoUnderline && msoUnderline !== 'none')) &&
      !el.closest('a')
    )
      tags.push('u');
    wrapChildren(el, tags, doc);
  }
}

/** `<a><u>text</u></a>` or `<u><a>text</a></u>`: the link's own look, not an underline the author chose. */
function isLinkUnderline(u: Element): boolean {
  const text = (u.textContent ?? '').trim();
  const a = u.closest('a');
  if (a) return (a.textContent ?? '').trim() === text;
  const only = Array.from(u.childNodes).filter((n) => !isBlank(n));
  return only.length === 1 && isElement(only[0]!) && nameOf(only[0]) === 'a';
}

/** Preformatted text keeps its lines as `<br>` (the editor has no code blocks; whitespace collapses). */
function preBreaks(pre: Element, doc: Document) {
  const texts: Node[] = [];
  const walk = (n: Node) => {
    for (const c of Array.from(n.childNodes)) {
      if (c.nodeType === TEXT) texts.push(c);
      else if (c.nodeType === ELEMENT) walk(c);
    }
  };
  walk(pre);
  for (const t of texts) {
    const lines = (t.textContent ?? '').split('\n');
    if (lines.length < 2) continue;
    for (const [i, line] of lines.entries()) {
      if (i > 0) t.parentNode!.insertBefore(doc.createElement('br'), t);
      t.parentNode!.insertBefore(doc.createTextNode(line), t);
    }
    t.parentNode!.removeChild(t);
  }
}

function cleanHref(href: string): string | null {
  let h = href.trim();
  // Google's redirect wrapper on links in published or exported documents.
  const g = /^https?:\/\/(www\.)?google\.[a-z.]+\/url\?/i.exec(h);
  if (g) {
    try {
      const q = new URL(h).searchParams.get('q');
      if (q) h = q;
    } catch {
      /* keep as is */
    }
  }
  return isAllowedHref(h) ? h : null;
}

/** Map every element to the editor's vocabulary: rename, unwrap or remove. Children first. */
function normalizeElements(body: Element, doc: Document) {
  for (const el of elements(body).reverse()) {
    if (!el.isConnected) continue;
    const name = nameOf(el);
    const cls = el.getAttribute('class') ?? '';
    if (name.includes(':')) {
      unwrap(el); // Word's smart tags, content controls (st1:*, w:sdt): keep the text
    } else if (/^h[1-6]$/.test(name)) {
      rename(el, Number(name[1]) <= 2 ? 'h2' : 'h3', doc);
    } else if (name === 'p' && /\bMsoTitle\b/.test(cls)) {
      rename(el, 'h2', doc);
    } else if (name === 'p' && /\bMsoSubtitle\b/.test(cls)) {
      rename(el, 'h3', doc);
    } else if (name === 'p' && /\bMso(Intense)?Quote\b/.test(cls)) {
      const q = doc.createElement('blockquote');
      el.replaceWith(q);
      q.appendChild(el);
    } else if (name === 'b') {
      rename(el, 'strong', doc);
    } else if (name === 'i') {
      rename(el, 'em', doc);
    } else if (name === 'a') {
      const href = el.getAttribute('href');
      const clean = href === null ? null : cleanHref(href);
      if (clean === null) unwrap(el);
      else el.setAttribute('href', clean);
    } else if (name === 'sup') {
      if (!el.hasAttribute('data-footnote')) unwrap(el);
    } else if (TABLE_PARTS.has(name)) {
      unwrap(el);
    } else if (name === 'pre') {
      preBreaks(el, doc);
      rename(el, 'p', doc);
    } else if (name === 'menu' || name === 'dir') {
      rename(el, 'ul', doc);
    } else if (name === 'u' && isLinkUnderline(el)) {
      unwrap(el);
    } else if (CONTAINERS.has(name)) {
      if (Array.from(el.childNodes).some(isBlock)) unwrap(el);
      else if (isEmptyText(el) && !el.querySelector('sup')) el.remove();
      else rename(el, 'p', doc);
    } else if (!KEEP.has(name)) {
      unwrap(el); // span, font, small, s, del, ins, code, sub, mark, …
    }
  }
}

/**
 * Lists: a list directly inside a list (Google Docs) moves into the item before it; flat items that only
 * carry `aria-level` are nested by it; `<ol>` keeps `start` and a `type` (from the attribute or the
 * list-style-type CSS of the list or its first item).
 */
function fixLists(body: Element, doc: Document) {
  for (const list of Array.from(body.querySelectorAll('ul, ol'))) {
    const parent = list.parentElement;
    if (parent && (nameOf(parent) === 'ul' || nameOf(parent) === 'ol')) {
      const prev = significantSibling(list, 'prev');
      if (isElement(prev) && nameOf(prev) === 'li') prev.appendChild(list);
      else {
        const li = doc.createElement('li');
        list.replaceWith(li);
        li.appendChild(list);
      }
    }
  }
  for (const list of Array.from(body.querySelectorAll('ul, ol'))) {
    const ordered = nameOf(list) === 'ol';
    const lis = Array.from(list.children).filter((c) => nameOf(c) === 'li');
    if (ordered && !list.getAttribute('type')) {
      const css =
        styles(list).get('list-style-type') ?? (lis[0] ? styles(lis[0]).get('list-style-type') : undefined);
      const t = css ? OL_TYPES[css] : undefined;
      if (t) list.setAttribute('type', t);
    }
    const levels = lis.map((li) => Number(li.getAttribute('aria-level')) || 0);
    if (lis.length > 1 && levels.every((l) => l > 0) && new Set(levels).size > 1) {
      const base = Math.min(...levels);
      const built = buildLists(
        lis.map((li, i) => ({ level: Math.min(9, levels[i]! - base + 1), ordered, listId: 'aria', li })),
        doc,
      );
      const top = built[0];
      if (top && built.length === 1) {
        for (const a of ['start', 'type']) {
          const v = list.getAttribute(a);
          if (v) top.setAttribute(a, v);
        }
        list.replaceWith(top);
      }
    }
  }
}

const VALID_ATTR: Record<string, (value: string) => boolean> = {
  'a href': () => true,
  'ol start': (v) => /^\d{1,6}$/.test(v) && Number(v) >= 1 && Number(v) <= 100_000,
  'ol type': (v) => /^[1aAiI]$/.test(v),
  'sup data-footnote': () => true,
};

function stripAttributes(body: Element) {
  for (const a of Array.from(body.attributes)) body.removeAttribute(a.name);
  for (const el of elements(body)) {
    const name = nameOf(el);
    for (const a of Array.from(el.attributes)) {
      const ok = VALID_ATTR[`${name} ${a.name}`];
      // ProseMirror's own copy marks the slice's open depths; keep it so a copy inside the editor pastes exactly.
      const pmSlice = a.name === 'data-pm-slice' && /^\d+ \d+ /.test(a.value);
      if (!(ok?.(a.value) || pmSlice)) el.removeAttribute(a.name);
    }
  }
}

/**
 * Empty paragraphs and headings (`<p>&nbsp;</p>`, `<p><br></p>`), `<br>` standing between blocks (Google
 * Docs' empty lines), trailing `<br>` in blocks, empty marks, links and lists.
 */
function tidy(body: Element) {
  for (const el of elements(body).reverse()) {
    if (!el.isConnected) continue;
    const name = nameOf(el);
    if (name === 'br') {
      const parent = el.parentElement;
      const prev = significantSibling(el, 'prev', true);
      const next = significantSibling(el, 'next', true);
      const inline = !parent || ['p', 'h2', 'h3', 'strong', 'em', 'u', 'a'].includes(nameOf(parent));
      const betweenBlocks = !inline && (!prev || isBlock(prev)) && (!next || isBlock(next));
      const trailing =
        parent && ['p', 'h2', 'h3', 'li'].includes(nameOf(parent)) && !significantSibling(el, 'next') && prev;
      if (betweenBlocks || trailing) el.remove();
    } else if (['p', 'h2', 'h3', 'blockquote'].includes(name)) {
      if (isEmptyText(el) && !el.querySelector('sup, hr, li')) el.remove();
    } else if (['strong', 'em', 'u', 'a'].includes(name)) {
      if (isEmptyText(el) && !el.querySelector('sup')) unwrap(el); // keeps a space that separates words
    } else if ((name === 'ul' || name === 'ol') && !el.querySelector('li')) {
      el.remove();
    }
  }
}
