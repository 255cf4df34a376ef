// Text-quote selectors (W3C Web Annotation): where a comment points in a text, kept with the comment and
// re-found in the text as it is now — exact match first, then an approximate one scored like Hypothesis's
// match-quote (quote similarity, prefix/suffix context, position), else "detached". Pure: no DOM, no database,
// so the review page's browser code and the server share it. Offsets are UTF-16 code units (String indices),
// never splitting a surrogate pair.
import approxSearch from 'approx-string-match';

export type TextQuoteSelector = { exact: string; prefix: string; suffix: string };
export type QuoteMatch = { start: number; end: number; method: 'exact' | 'fuzzy' };

/** Context kept on each side of the quote. */
export const CONTEXT_CHARS = 32;
/** Limits the server enforces on stored anchors (lib/validation/comments.ts). */
export const QUOTE_MAX = 1000;
export const CONTEXT_MAX = 64;
/** An approximate match may differ from the quote in at most this share of its characters. */
export const MAX_ERROR_RATE = 0.3;
/** Below this combined score (0..1) an approximate match is not trusted: the anchor is detached. */
export const MIN_FUZZY_SCORE = 0.6;

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
/** True when index i falls between the two halves of a surrogate pair. */
const splitsPair = (text: string, i: number) =>
  i > 0 && i < text.length && isHigh(text.charCodeAt(i - 1)) && isLow(text.charCodeAt(i));

/**
 * The selector for text[start, end): whitespace at either end of the selection left out, the quote capped at
 * `QUOTE_MAX` characters, and up to `contextChars` characters of context on each side. Null for an empty
 * (or whitespace-only) selection.
 */
export function buildQuoteSelector(
  text: string,
  start: number,
  end: number,
  contextChars = CONTEXT_CHARS,
): TextQuoteSelector | null {
  let s = Math.max(0, Math.min(start, end, text.length));
  let e = Math.min(text.length, Math.max(start, end, 0));
  while (s < e && /\s/.test(text[s]!)) s++;
  while (e > s && /\s/.test(text[e - 1]!)) e--;
  if (s >= e) return null;
  // A selection edge inside a surrogate pair takes the whole character.
  if (splitsPair(text, s)) s--;
  if (splitsPair(text, e)) e++;
  if (e - s > QUOTE_MAX) {
    e = s + QUOTE_MAX;
    if (splitsPair(text, e)) e--;
  }
  const ctx = Math.max(0, Math.min(contextChars, CONTEXT_MAX));
  let p = Math.max(0, s - ctx);
  if (splitsPair(text, p)) p++;
  let q = Math.min(text.length, e + ctx);
  if (splitsPair(text, q)) q--;
  return { exact: text.slice(s, e), prefix: text.slice(p, s), suffix: text.slice(e, q) };
}

function commonSuffixLength(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}
function commonPrefixLength(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/** Every start index of `quote` in `text` (overlapping occurrences included). */
function exactOccurrences(text: string, quote: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(quote); i !== -1; i = text.indexOf(quote, i + 1)) out.push(i);
  return out;
}

/** 1 − errors/length of the best approximate match of `str` in `text` (Hypothesis's textMatchScore). */
function similarity(text: string, str: string): number {
  if (str.length === 0) return 1;
  if (text.length === 0) return 0;
  const m = approxSearch(text, str, str.length);
  return m.length ? 1 - m[0]!.errors / str.length : 0;
}

const WEIGHTS = { quote: 50, prefix: 20, suffix: 20, position: 2 };
const MAX_SCORE = WEIGHTS.quote + WEIGHTS.prefix + WEIGHTS.suffix + WEIGHTS.position;

/**
 * Where the selector's quote is in `text` now, or null (detached). Exact occurrences win; among several, the one
 * whose surroundings agree with the prefix/suffix on the most characters, then the one nearest `hint` (a
 * previous start offset), then the first. Otherwise the best approximate match (at most `MAX_ERROR_RATE` of
 * the quote's characters differ), scored on quote, context and position, if its score reaches `MIN_FUZZY_SCORE`.
 */
export function locateQuote(text: string, selector: TextQuoteSelector, hint?: number): QuoteMatch | null {
  const { exact, prefix, suffix } = selector;
  if (exact.length === 0 || text.length === 0) return null;
  const distance = (start: number) => (typeof hint === 'number' ? Math.abs(start - hint) : 0);

  const exacts = exactOccurrences(text, exact);
  if (exacts.length > 0) {
    let best = exacts[0]!;
    let bestContext = -1;
    for (const start of exacts) {
      const end = start + exact.length;
      const context =
        commonSuffixLength(text.slice(Math.max(0, start - prefix.length), start), prefix) +
        commonPrefixLength(text.slice(end, end + suffix.length), suffix);
      if (context > bestContext || (context === bestContext && distance(start) < distance(best))) {
        best = start;
        bestContext = context;
      }
    }
    return { start: best, end: best + exact.length, method: 'exact' };
  }

  const maxErrors = Math.min(256, Math.floor(exact.length * MAX_ERROR_RATE));
  if (maxErrors < 1) return null;
  const candidates = approxSearch(text, exact, maxErrors);
  let best: { start: number; end: number; score: number } | null = null;
  for (const m of candidates) {
    const quoteScore = 1 - m.errors / exact.length;
    const prefixScore = prefix
      ? similarity(text.slice(Math.max(0, m.start - prefix.length), m.start), prefix)
      : 1;
    const suffixScore = suffix ? similarity(text.slice(m.end, m.end + suffix.length), suffix) : 1;
    const positionScore = typeof hint === 'number' ? 1 - Math.min(1, distance(m.start) / text.length) : 1;
    const score =
      (WEIGHTS.quote * quoteScore +
        WEIGHTS.prefix * prefixScore +
        WEIGHTS.suffix * suffixScore +
        WEIGHTS.position * positionScore) /
      MAX_SCORE;
    if (!best || score > best.score) best = { start: m.start, end: m.end, score };
  }
  if (!best || best.score < MIN_FUZZY_SCORE) return null;
  let { start, end } = best;
  if (splitsPair(text, start)) start--;
  if (splitsPair(text, end)) end++;
  return { start, end, method: 'fuzzy' };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/**
 * The text content of HTML from our own renderer (lib/editor/render.ts: escaped text, no comments or scripts),
 * as a browser's `textContent` reads it — so the server and the page locate anchors over the same string.
 */
export function textOfHtml(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}
