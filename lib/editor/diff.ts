/**
 * A readable diff between two stored documents, "word by word inside the structure", plus the plain-text
 * helpers the editor uses for counts and excerpts.
 *
 * 1. Each document is flattened into blocks: a paragraph, a heading, one paragraph of a list item (with its
 *    list kind, nesting depth and position), a paragraph inside a blockquote, a horizontal rule.
 * 2. Blocks are aligned on a key made of their structure and their formatted tokens (Myers diff from the
 *    `diff` package). Inside a run of removed + added blocks, pairs that share at least half of their words
 *    (Dice coefficient, order kept) become one "changed" block; the rest stay whole deletions/insertions.
 *    A list item's position is not part of its key, so a moved item is one deletion plus one insertion and
 *    its neighbours stay equal.
 * 3. Inside a changed block the tokens are diffed: a token is a word, a whitespace run or a punctuation run,
 *    together with its formatting (bold/italic/underline and the link's href); a footnote is one token (its
 *    note). Toggling bold on a word therefore deletes and re-inserts that word, flagged `format: true`.
 *
 * Words are Unicode letters/marks/numbers (`\p{L}\p{M}\p{N}`, never `\w`), so Armenian and Russian split
 * like English. Armenian emphasis/question marks written inside a word (ինչո՞ւ) and apostrophes/hyphens
 * between letters stay part of the word.
 *
 * Not part of a block's key (so not reported as changes): an ordered list's `start` and `type`.
 *
 * Isomorphic: no DOM, no React, no server-only modules.
 */
import { diffArrays } from 'diff';
import type { DocJSON } from './extensions';

// ---------------------------------------------------------------------------------------------------------
// Types

export type DiffOp = 'equal' | 'insert' | 'delete';
export type BlockOp = DiffOp | 'change';
export type BlockKind = 'paragraph' | 'heading' | 'listItem' | 'blockquote' | 'rule';
export type ListKind = 'bullet' | 'ordered';
export type TextMark = 'bold' | 'italic' | 'underline';

/** Where a block sits in the document's structure. */
export type BlockShape = {
  kind: BlockKind;
  /** Headings: 2 or 3. */
  level?: number;
  /** List items: which kind of list. */
  list?: ListKind;
  /** List items: 0 for a top-level list, 1 for a list nested in an item, … */
  depth?: number;
  /** List items: 0-based position among the items of its list. */
  index?: number;
  /** Ordered list items: the number shown (the list's start + index). */
  number?: number;
  /** Ordered list items: the list's numbering style when not decimal. */
  numbering?: 'a' | 'A' | 'i' | 'I';
  /** List items: a second (third, …) paragraph of the same item. */
  continued?: boolean;
  /** Blockquote nesting; absent when the block is not quoted. */
  quote?: number;
};

export type DiffToken = {
  op: DiffOp;
  /** The text; for a footnote, its note; for a hard break, "\n". */
  text: string;
  /** Formatting, in the fixed order bold, italic, underline. */
  marks: TextMark[];
  /** The link target, when the text is linked. */
  href?: string;
  footnote?: boolean;
  hardBreak?: boolean;
  /** A deletion/insertion of the same text with other formatting (marks or link target). */
  format?: boolean;
  /** A word piece glued to the previous word piece (a word with mixed formatting): not a word of its own. */
  joined?: boolean;
};

export type DiffBlock = BlockShape & {
  op: BlockOp;
  tokens: DiffToken[];
  /** For a changed block whose structure changed (heading level, paragraph → list item, …): the old shape. */
  was?: BlockShape;
};

export type DiffStats = { insertedWords: number; deletedWords: number; changedBlocks: number };
export type DocDiff = { blocks: DiffBlock[]; stats: DiffStats };

// ---------------------------------------------------------------------------------------------------------
// Tokenizing

const WORD_CHARS = '\\p{L}\\p{M}\\p{N}';
/**
 * A word: letters/marks/numbers, continued across Armenian emphasis/exclamation/question marks
 * (U+055B, U+055C, U+055E, written inside the word) and across an apostrophe or hyphen between letters.
 */
const WORD = `[${WORD_CHARS}]+(?:[\\u055B\\u055C\\u055E][${WORD_CHARS}]*|['\\u2019\\u2010\\u2011-][${WORD_CHARS}]+)*`;
/** A word (group 1), a whitespace run (group 2) or a run of anything else (punctuation, symbols). */
const TOKEN_RE = new RegExp(`(${WORD})|(\\s+)|[^${WORD_CHARS}\\s]+`, 'gu');
const WORD_RE = new RegExp(WORD, 'gu');
const WORD_START_RE = new RegExp(`^[${WORD_CHARS}]`, 'u');
const SPACE_RE = /^\s+$/u;

const MARK_ORDER: readonly TextMark[] = ['bold', 'italic', 'underline'];

/** The words of a string (Unicode letters/numbers). */
function countWords(s: string): number {
  let n = 0;
  WORD_RE.lastIndex = 0;
  while (WORD_RE.exec(s)) n++;
  return n;
}

type Tok = {
  text: string;
  marks: TextMark[];
  href?: string;
  footnote?: boolean;
  hardBreak?: boolean;
  joined?: boolean;
  /** A word (or word piece). */
  word: boolean;
  /** What the token diff compares. */
  key: string;
};

const SEP = '\u0001';

/** The formatting part of a text token's key; bold and italic are invisible on whitespace, so left out there. */
function formatKey(marks: TextMark[], href: string | undefined, space: boolean): string {
  const shown = space ? marks.filter((m) => m === 'underline') : marks;
  return `${SEP}${shown.join(',')}${SEP}${href ?? ''}`;
}

function textTok(
  text: string,
  marks: TextMark[],
  href: string | undefined,
  fmtKey: string,
  word: boolean,
  joined: boolean,
): Tok {
  const tok: Tok = { text, marks, word, key: `t${SEP}${text}${fmtKey}` };
  if (href !== undefined) tok.href = href;
  if (joined) tok.joined = true;
  return tok;
}

function children(node: DocJSON | undefined): DocJSON[] {
  return node && Array.isArray(node.content) ? node.content : [];
}

function markInfo(node: DocJSON): { marks: TextMark[]; href?: string } {
  const present = new Set<string>();
  let href: string | undefined;
  for (const m of Array.isArray(node.marks) ? node.marks : []) {
    if (m.type === 'link') {
      const h = m.attrs?.href;
      href = typeof h === 'string' ? h : '';
    } else present.add(m.type);
  }
  const marks = MARK_ORDER.filter((m) => present.has(m));
  return href === undefined ? { marks } : { marks, href };
}

/** The inline tokens of a textblock. Adjacent text nodes with the same formatting are merged first. */
function inlineTokens(block: DocJSON): Tok[] {
  const runs: { text: string; marks: TextMark[]; href?: string }[] = [];
  const out: Tok[] = [];
  const flush = () => {
    for (const run of runs) {
      const fmt = formatKey(run.marks, run.href, false);
      const spaceFmt = formatKey(run.marks, run.href, true);
      TOKEN_RE.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = TOKEN_RE.exec(run.text))) {
        const word = m[1] !== undefined;
        const space = m[2] !== undefined;
        // Two word tokens in a row come from two runs: one word with mixed formatting.
        const joined = word && !!out[out.length - 1]?.word;
        out.push(textTok(m[0], run.marks, run.href, space ? spaceFmt : fmt, word, joined));
      }
    }
    runs.length = 0;
  };
  for (const node of children(block)) {
    if (node.type === 'text' || typeof node.text === 'string') {
      const text = typeof node.text === 'string' ? node.text : '';
      if (!text) continue;
      const info = markInfo(node);
      const last = runs[runs.length - 1];
      if (last && last.href === info.href && last.marks.join() === info.marks.join()) last.text += text;
      else runs.push({ text, ...info });
    } else if (node.type === 'hardBreak') {
      flush();
      out.push({ text: '\n', marks: [], hardBreak: true, word: false, key: 'b' });
    } else if (node.type === 'footnote') {
      flush();
      const note = String(node.attrs?.text ?? '');
      out.push({ text: note, marks: [], footnote: true, word: false, key: `f${SEP}${note}` });
    } else {
      // Not in the schema; keep whatever text it holds rather than losing it.
      flush();
      out.push(...inlineTokens(node));
    }
  }
  flush();
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Flattening

type Flat = { shape: BlockShape; tokens: Tok[]; key: string };

type ItemCtx = {
  list: ListKind;
  depth: number;
  index: number;
  number?: number;
  numbering?: BlockShape['numbering'];
  seen: boolean;
};
type Ctx = { quote: number; listDepth: number; item?: ItemCtx };

function shapeKey(s: BlockShape): string {
  return [s.kind, s.level ?? '', s.list ?? '', s.depth ?? '', s.continued ? 'c' : '', s.quote ?? ''].join(
    '|',
  );
}

function isInline(node: DocJSON): boolean {
  return node.type === 'text' || node.type === 'hardBreak' || node.type === 'footnote';
}

function pushBlock(out: Flat[], shape: BlockShape, tokens: Tok[]): void {
  out.push({ shape, tokens, key: `${shapeKey(shape)}\u0002${tokens.map((t) => t.key).join('\u0003')}` });
}

function textblockShape(ctx: Ctx, base: BlockShape): BlockShape {
  const shape: BlockShape = { ...base };
  if (ctx.quote > 0) shape.quote = ctx.quote;
  return shape;
}

function walk(nodes: DocJSON[], ctx: Ctx, out: Flat[]): void {
  for (const node of nodes) {
    switch (node.type) {
      case 'paragraph': {
        const item = ctx.item;
        let shape: BlockShape;
        if (item) {
          shape = textblockShape(ctx, {
            kind: 'listItem',
            list: item.list,
            depth: item.depth,
            index: item.index,
          });
          if (item.number !== undefined) shape.number = item.number;
          if (item.numbering) shape.numbering = item.numbering;
          if (item.seen) shape.continued = true;
          item.seen = true;
        } else shape = textblockShape(ctx, { kind: ctx.quote > 0 ? 'blockquote' : 'paragraph' });
        pushBlock(out, shape, inlineTokens(node));
        break;
      }
      case 'heading': {
        const level = Number(node.attrs?.level);
        const shape = textblockShape(ctx, {
          kind: 'heading',
          level: Number.isInteger(level) && level >= 1 && level <= 6 ? level : 2,
        });
        pushBlock(out, shape, inlineTokens(node));
        break;
      }
      case 'horizontalRule':
        pushBlock(out, textblockShape(ctx, { kind: 'rule' }), []);
        break;
      case 'blockquote':
        walk(children(node), { quote: ctx.quote + 1, listDepth: ctx.listDepth }, out);
        break;
      case 'bulletList':
      case 'orderedList': {
        const list: ListKind = node.type === 'orderedList' ? 'ordered' : 'bullet';
        const startAttr = Number(node.attrs?.start ?? 1);
        const start = Number.isInteger(startAttr) ? startAttr : 1;
        const type = node.attrs?.type;
        const numbering =
          typeof type === 'string' && /^[aAiI]$/.test(type) ? (type as BlockShape['numbering']) : undefined;
        children(node).forEach((li, index) => {
          const item: ItemCtx = { list, depth: ctx.listDepth, index, seen: false };
          if (list === 'ordered') item.number = start + index;
          if (numbering) item.numbering = numbering;
          const inner = li.type === 'listItem' ? children(li) : [li];
          walk(inner, { quote: ctx.quote, listDepth: ctx.listDepth + 1, item }, out);
        });
        break;
      }
      case 'listItem':
        // Outside a list (not in the schema): read it as a bullet item.
        walk([{ type: 'bulletList', content: [node] }], ctx, out);
        break;
      default: {
        const kids = children(node);
        if (kids.some(isInline))
          pushBlock(
            out,
            textblockShape(ctx, { kind: ctx.quote > 0 ? 'blockquote' : 'paragraph' }),
            inlineTokens(node),
          );
        else walk(kids, ctx, out);
      }
    }
  }
}

function flatten(doc: DocJSON): Flat[] {
  const out: Flat[] = [];
  walk(doc.type === 'doc' ? children(doc) : [doc], { quote: 0, listDepth: 0 }, out);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Diffing tokens inside a changed block

function toDiffToken(t: Tok, op: DiffOp, format = false): DiffToken {
  const d: DiffToken = { op, text: t.text, marks: t.marks };
  if (t.href !== undefined) d.href = t.href;
  if (t.footnote) d.footnote = true;
  if (t.hardBreak) d.hardBreak = true;
  if (format) d.format = true;
  if (t.joined) d.joined = true;
  return d;
}

type Hunk = { eq: Tok[] } | { del: Tok[]; ins: Tok[]; format: boolean };

const plainText = (t: Tok) => (t.hardBreak ? '\u0002' : t.footnote ? `\u0003${t.text}\u0003` : t.text);
const plainKey = (t: Tok) => (t.hardBreak ? 'b' : t.footnote ? `f${SEP}${t.text}` : `t${SEP}${t.text}`);

/** Split a replacement into same-text-other-formatting parts (prefix/suffix) and a real text change. */
function splitFormat(del: Tok[], ins: Tok[]): Hunk[] {
  // The same text split differently ("bold" → "**bo**ld"): one formatting change.
  if (del.length && ins.length && del.map(plainText).join('') === ins.map(plainText).join(''))
    return [{ del, ins, format: true }];
  let pre = 0;
  while (pre < del.length && pre < ins.length && plainKey(del[pre]!) === plainKey(ins[pre]!)) pre++;
  let suf = 0;
  while (
    suf < del.length - pre &&
    suf < ins.length - pre &&
    plainKey(del[del.length - 1 - suf]!) === plainKey(ins[ins.length - 1 - suf]!)
  )
    suf++;
  const hunks: Hunk[] = [];
  if (pre) hunks.push({ del: del.slice(0, pre), ins: ins.slice(0, pre), format: true });
  const midDel = del.slice(pre, del.length - suf);
  const midIns = ins.slice(pre, ins.length - suf);
  if (midDel.length || midIns.length) hunks.push({ del: midDel, ins: midIns, format: false });
  if (suf) hunks.push({ del: del.slice(del.length - suf), ins: ins.slice(ins.length - suf), format: true });
  return hunks;
}

function diffTokens(a: Tok[], b: Tok[]): DiffToken[] {
  const changes = diffArrays(
    a.map((t) => t.key),
    b.map((t) => t.key),
  );
  // Collect hunks: equal runs, and replacements (deletions + insertions between two equal runs).
  const raw: Hunk[] = [];
  let i = 0;
  let j = 0;
  let pending: { del: Tok[]; ins: Tok[] } | null = null;
  const flushPending = () => {
    if (pending) raw.push(...splitFormat(pending.del, pending.ins));
    pending = null;
  };
  for (const c of changes) {
    if (c.removed) {
      pending ??= { del: [], ins: [] };
      pending.del.push(...a.slice(i, i + c.count));
      i += c.count;
    } else if (c.added) {
      pending ??= { del: [], ins: [] };
      pending.ins.push(...b.slice(j, j + c.count));
      j += c.count;
    } else {
      flushPending();
      raw.push({ eq: b.slice(j, j + c.count) });
      i += c.count;
      j += c.count;
    }
  }
  flushPending();

  // "A B" → "C D" reads better as one replacement than as two around a kept space.
  const isReplacement = (h: Hunk | undefined): h is { del: Tok[]; ins: Tok[]; format: boolean } =>
    !!h && 'del' in h && !h.format && h.del.length > 0 && h.ins.length > 0;
  const hunks: Hunk[] = [];
  for (let k = 0; k < raw.length; k++) {
    const h = raw[k]!;
    const prev = hunks[hunks.length - 1];
    const next = raw[k + 1];
    if (
      'eq' in h &&
      h.eq.length === 1 &&
      SPACE_RE.test(h.eq[0]!.text) &&
      isReplacement(prev) &&
      isReplacement(next)
    ) {
      prev.del.push(h.eq[0]!, ...next.del);
      prev.ins.push(h.eq[0]!, ...next.ins);
      k++;
      continue;
    }
    hunks.push(h);
  }

  const out: DiffToken[] = [];
  for (const h of hunks) {
    if ('eq' in h) for (const t of h.eq) out.push(toDiffToken(t, 'equal'));
    else {
      for (const t of h.del) out.push(toDiffToken(t, 'delete', h.format));
      for (const t of h.ins) out.push(toDiffToken(t, 'insert', h.format));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Aligning blocks

/** Blocks sharing at least this share of their words (Dice coefficient) are shown as one changed block. */
const SIMILARITY_THRESHOLD = 0.5;
/** Above this many candidate pairs in one replaced region, skip pairing (whole deletions/insertions). */
const MAX_PAIRING_CELLS = 40_000;

function wordBag(f: Flat): Map<string, number> {
  const bag = new Map<string, number>();
  const add = (w: string) => bag.set(w, (bag.get(w) ?? 0) + 1);
  let word = '';
  for (const t of f.tokens) {
    if (t.word && t.joined) {
      word += t.text;
      continue;
    }
    if (word) add(word);
    word = t.word ? t.text : '';
    if (t.footnote) for (const m of t.text.match(WORD_RE) ?? []) add(m);
  }
  if (word) add(word);
  return bag;
}

type Bag = { words: Map<string, number>; size: number; rule: boolean };

function bagOf(f: Flat): Bag {
  const words = wordBag(f);
  let size = 0;
  for (const v of words.values()) size += v;
  return { words, size, rule: f.shape.kind === 'rule' };
}

/** Dice coefficient of the two blocks' words; rules are similar only to rules, two empty blocks are alike. */
function similarity(a: Bag, b: Bag): number {
  if (a.rule || b.rule) return a.rule && b.rule ? 1 : 0;
  if (a.size === 0 && b.size === 0) return 1;
  // Cannot reach the threshold: skip counting.
  if ((2 * Math.min(a.size, b.size)) / (a.size + b.size) < SIMILARITY_THRESHOLD) return 0;
  const [small, large] = a.words.size <= b.words.size ? [a.words, b.words] : [b.words, a.words];
  let common = 0;
  for (const [w, n] of small) common += Math.min(n, large.get(w) ?? 0);
  return (2 * common) / (a.size + b.size);
}

/** Order-preserving pairing of similar blocks in a replaced region: [deleted index, inserted index][]. */
function pairBlocks(dels: Flat[], inss: Flat[]): [number, number][] {
  const m = dels.length;
  const n = inss.length;
  if (m === 0 || n === 0 || m * n > MAX_PAIRING_CELLS) return [];
  const bagsD = dels.map(bagOf);
  const bagsI = inss.map(bagOf);
  const w = (r: number, c: number) => {
    const s = similarity(bagsD[r]!, bagsI[c]!);
    return s >= SIMILARITY_THRESHOLD ? 1 + s : -1;
  };
  const weights: number[] = new Array<number>(m * n);
  const score: number[] = new Array<number>((m + 1) * (n + 1)).fill(0);
  const at = (r: number, c: number) => score[r * (n + 1) + c]!;
  for (let r = 1; r <= m; r++) {
    for (let c = 1; c <= n; c++) {
      const wt = w(r - 1, c - 1);
      weights[(r - 1) * n + (c - 1)] = wt;
      const diag = wt > 0 ? at(r - 1, c - 1) + wt : -Infinity;
      score[r * (n + 1) + c] = Math.max(at(r - 1, c), at(r, c - 1), diag);
    }
  }
  const pairs: [number, number][] = [];
  let r = m;
  let c = n;
  while (r > 0 && c > 0) {
    const wt = weights[(r - 1) * n + (c - 1)]!;
    if (wt > 0 && at(r, c) === at(r - 1, c - 1) + wt) {
      pairs.push([r - 1, c - 1]);
      r--;
      c--;
    } else if (at(r, c) === at(r - 1, c)) r--;
    else c--;
  }
  return pairs.reverse();
}

function shapeFields(s: BlockShape): BlockShape {
  const out: BlockShape = { kind: s.kind };
  if (s.level !== undefined) out.level = s.level;
  if (s.list !== undefined) out.list = s.list;
  if (s.depth !== undefined) out.depth = s.depth;
  if (s.index !== undefined) out.index = s.index;
  if (s.number !== undefined) out.number = s.number;
  if (s.numbering !== undefined) out.numbering = s.numbering;
  if (s.continued) out.continued = true;
  if (s.quote !== undefined) out.quote = s.quote;
  return out;
}

function wholeBlock(f: Flat, op: DiffOp): DiffBlock {
  return { ...shapeFields(f.shape), op, tokens: f.tokens.map((t) => toDiffToken(t, op)) };
}

function changedBlock(a: Flat, b: Flat): DiffBlock {
  const block: DiffBlock = { ...shapeFields(b.shape), op: 'change', tokens: diffTokens(a.tokens, b.tokens) };
  if (shapeKey(a.shape) !== shapeKey(b.shape)) block.was = shapeFields(a.shape);
  return block;
}

/**
 * Words on one side (`insert`: the new text, `delete`: the old) that the diff added/removed. A word made of
 * pieces with different formatting counts once, when any of its pieces changed; a footnote counts its words.
 */
function sideWords(tokens: DiffToken[], op: 'insert' | 'delete'): number {
  const other = op === 'insert' ? 'delete' : 'insert';
  let n = 0;
  let inWord = false;
  let wordChanged = false;
  const endWord = () => {
    if (inWord && wordChanged) n++;
    inWord = false;
    wordChanged = false;
  };
  for (const t of tokens) {
    if (t.op === other) continue;
    const isWord = !t.footnote && !t.hardBreak && WORD_START_RE.test(t.text);
    if (!isWord || !t.joined || !inWord) endWord();
    if (isWord) {
      inWord = true;
      if (t.op === op) wordChanged = true;
    } else if (t.footnote && t.op === op) n += countWords(t.text);
  }
  endWord();
  return n;
}

function computeStats(blocks: DiffBlock[]): DiffStats {
  const stats: DiffStats = { insertedWords: 0, deletedWords: 0, changedBlocks: 0 };
  for (const b of blocks) {
    if (b.op === 'equal') continue;
    stats.changedBlocks++;
    stats.insertedWords += sideWords(b.tokens, 'insert');
    stats.deletedWords += sideWords(b.tokens, 'delete');
  }
  return stats;
}

/** The diff of two documents, block by block and, inside changed blocks, word by word. */
export function diffDocs(a: DocJSON, b: DocJSON): DocDiff {
  const fa = flatten(a);
  const fb = flatten(b);
  const changes = diffArrays(
    fa.map((f) => f.key),
    fb.map((f) => f.key),
  );
  const blocks: DiffBlock[] = [];
  let i = 0;
  let j = 0;
  let dels: Flat[] = [];
  let inss: Flat[] = [];
  const flush = () => {
    let d = 0;
    let n = 0;
    for (const [pd, pi] of pairBlocks(dels, inss)) {
      for (; d < pd; d++) blocks.push(wholeBlock(dels[d]!, 'delete'));
      for (; n < pi; n++) blocks.push(wholeBlock(inss[n]!, 'insert'));
      blocks.push(changedBlock(dels[pd]!, inss[pi]!));
      d = pd + 1;
      n = pi + 1;
    }
    for (; d < dels.length; d++) blocks.push(wholeBlock(dels[d]!, 'delete'));
    for (; n < inss.length; n++) blocks.push(wholeBlock(inss[n]!, 'insert'));
    dels = [];
    inss = [];
  };
  for (const c of changes) {
    if (c.removed) {
      dels.push(...fa.slice(i, i + c.count));
      i += c.count;
    } else if (c.added) {
      inss.push(...fb.slice(j, j + c.count));
      j += c.count;
    } else {
      flush();
      for (const f of fb.slice(j, j + c.count)) blocks.push(wholeBlock(f, 'equal'));
      i += c.count;
      j += c.count;
    }
  }
  flush();
  return { blocks, stats: computeStats(blocks) };
}

/** The size of the change between two documents (revision history). */
export function diffStats(a: DocJSON, b: DocJSON): DiffStats {
  return diffDocs(a, b).stats;
}

// ---------------------------------------------------------------------------------------------------------
// Rendering

export type RenderDiffOptions = {
  /** Collapse unchanged blocks far from any change into a `<p class="diff-skip">` marker. */
  onlyChanges?: boolean;
  /** With `onlyChanges`: how many unchanged blocks to keep on each side of a change (default 1). */
  context?: number;
  /** Word shown before a footnote's note, in the reader's language (default "note"). */
  noteLabel?: string;
  /** Text of the skip marker (default "…"). */
  skipLabel?: string;
  /** Label of a changed block's old structure (default: "H2", "¶", "•", "1.", "❝", "—"). */
  shapeLabel?: (was: BlockShape) => string;
};

function esc(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function defaultShapeLabel(s: BlockShape): string {
  const nest = '›'.repeat(s.depth ?? 0);
  switch (s.kind) {
    case 'heading':
      return `H${s.level ?? 2}`;
    case 'listItem':
      return nest + (s.list === 'ordered' ? `${s.number ?? 1}.` : '•');
    case 'blockquote':
      return '❝';
    case 'rule':
      return '—';
    default:
      return '¶';
  }
}

function renderTokens(tokens: DiffToken[], noteLabel: string): string {
  if (tokens.length === 0) return '<br>';
  let html = '';
  let i = 0;
  while (i < tokens.length) {
    const op = tokens[i]!.op;
    let j = i;
    while (j < tokens.length && tokens[j]!.op === op) j++;
    const group = tokens.slice(i, j);
    const inner = renderRuns(group, op !== 'equal', noteLabel);
    if (op === 'equal') html += inner;
    else {
      const tag = op === 'insert' ? 'ins' : 'del';
      const cls = group.every((t) => t.format) ? ' class="diff-format"' : '';
      html += `<${tag}${cls}>${inner}</${tag}>`;
    }
    i = j;
  }
  return html;
}

/** Consecutive tokens with the same formatting, wrapped once; a changed link's target shown as text. */
function renderRuns(tokens: DiffToken[], changed: boolean, noteLabel: string): string {
  let html = '';
  let i = 0;
  const sig = (t: DiffToken) =>
    `${t.marks.join(',')}${SEP}${t.href ?? ''}${SEP}${t.href === undefined ? 0 : 1}`;
  while (i < tokens.length) {
    const first = tokens[i]!;
    let j = i;
    let text = '';
    while (j < tokens.length && sig(tokens[j]!) === sig(first)) {
      const t = tokens[j]!;
      if (t.hardBreak) text += '<br>';
      else if (t.footnote) text += `<sup class="diff-footnote">[${esc(noteLabel)}: ${esc(t.text)}]</sup>`;
      else text += esc(t.text);
      j++;
    }
    if (first.marks.includes('underline')) text = `<u>${text}</u>`;
    if (first.marks.includes('italic')) text = `<em>${text}</em>`;
    if (first.marks.includes('bold')) text = `<strong>${text}</strong>`;
    if (first.href !== undefined) {
      text = `<span class="diff-link">${text}</span>`;
      if (changed) text += ` <span class="diff-href">${esc(first.href)}</span>`;
    }
    html += text;
    i = j;
  }
  return html;
}

/** The diff as HTML, safe for innerHTML: every text and attribute is escaped and no link is clickable. */
export function renderDiffHtml(diff: DocDiff, opts: RenderDiffOptions = {}): string {
  const noteLabel = opts.noteLabel ?? 'note';
  const shapeLabel = opts.shapeLabel ?? defaultShapeLabel;
  const context = Math.max(0, Math.floor(opts.context ?? 1));
  const blocks = diff.blocks;

  let visible: boolean[] = blocks.map(() => true);
  if (opts.onlyChanges) {
    visible = blocks.map(() => false);
    blocks.forEach((b, k) => {
      if (b.op === 'equal') return;
      for (let x = Math.max(0, k - context); x <= Math.min(blocks.length - 1, k + context); x++)
        visible[x] = true;
    });
  }

  const out: string[] = [];
  const lists: { tag: 'ul' | 'ol'; type: string; liOpen: boolean }[] = [];
  let quote = 0;
  const closeLists = (keep = 0) => {
    while (lists.length > keep) {
      const l = lists.pop()!;
      if (l.liOpen) out.push('</li>');
      out.push(`</${l.tag}>`);
    }
  };
  const setQuote = (q: number) => {
    if (q === quote) return;
    closeLists();
    for (; quote > q; quote--) out.push('</blockquote>');
    for (; quote < q; quote++) out.push('<blockquote>');
  };

  let skipping = false;
  blocks.forEach((b, k) => {
    if (!visible[k]) {
      if (!skipping) {
        setQuote(0);
        closeLists();
        out.push(`<p class="diff-skip">${esc(opts.skipLabel ?? '…')}</p>`);
      }
      skipping = true;
      return;
    }
    skipping = false;
    setQuote(b.quote ?? 0);

    const classes: string[] = [];
    if (b.op === 'insert') classes.push('diff-block-insert');
    else if (b.op === 'delete') classes.push('diff-block-delete');
    else if (b.op === 'change') classes.push('diff-block-change');
    if (b.was) classes.push('diff-block-restyle');
    const cls = classes.length ? ` class="${classes.join(' ')}"` : '';
    const was = b.was ? `<span class="diff-was">${esc(shapeLabel(b.was))}</span> ` : '';
    const content = was + renderTokens(b.tokens, noteLabel);

    if (b.kind === 'listItem') {
      const depth = Math.max(0, b.depth ?? 0);
      const tag = b.list === 'ordered' ? 'ol' : 'ul';
      const type = tag === 'ol' ? (b.numbering ?? '') : '';
      closeLists(depth + 1);
      const top = lists[depth];
      if (top && (top.tag !== tag || top.type !== type)) closeLists(depth);
      while (lists.length < depth + 1) {
        const parent = lists[lists.length - 1];
        if (parent && !parent.liOpen) {
          out.push('<li class="diff-list-nest">');
          parent.liOpen = true;
        }
        out.push(`<${tag}${type ? ` type="${esc(type)}"` : ''}>`);
        lists.push({ tag, type, liOpen: false });
      }
      const list = lists[depth]!;
      if (b.continued && list.liOpen) {
        out.push(`<p${cls}>${content}</p>`);
      } else {
        if (list.liOpen) out.push('</li>');
        const value = tag === 'ol' && b.number !== undefined ? ` value="${esc(String(b.number))}"` : '';
        out.push(`<li${cls}${value}>${content}`);
        list.liOpen = true;
      }
      return;
    }

    closeLists();
    switch (b.kind) {
      case 'rule':
        out.push(`<hr${cls}>`);
        break;
      case 'heading': {
        const level = Math.min(6, Math.max(1, b.level ?? 2));
        out.push(`<h${level}${cls}>${content}</h${level}>`);
        break;
      }
      default:
        out.push(`<p${cls}>${content}</p>`);
    }
  });
  closeLists();
  setQuote(0);
  return out.join('');
}

// ---------------------------------------------------------------------------------------------------------
// Plain text and counts

function blockText(f: Flat): string {
  let s = '';
  for (const t of f.tokens) s += t.footnote ? `[${t.text}]` : t.text;
  return s;
}

/** The document as plain text: blocks joined by a blank line, footnotes in brackets; rules and empty blocks left out. */
export function docPlainText(doc: DocJSON): string {
  return flatten(doc)
    .map(blockText)
    .filter((s) => s.trim() !== '')
    .join('\n\n');
}

/**
 * Words (runs of Unicode letters/numbers, footnotes included) and characters (code points of the text and
 * the notes, spaces included, line breaks and the plain text's brackets not).
 */
export function docWordCount(doc: DocJSON): { words: number; characters: number } {
  const blocks = flatten(doc);
  let words = 0;
  let characters = 0;
  for (const f of blocks) {
    words += countWords(blockText(f));
    for (const t of f.tokens) {
      if (t.hardBreak) continue;
      for (const ch of t.text) if (ch !== '\n' && ch !== '\r') characters++;
    }
  }
  return { words, characters };
}

/**
 * The size of a change for the revision list, cheaply: words added and removed counted as multisets (a
 * moved word counts as neither). Saves call this inside their transaction, so it must stay linear; the
 * exact, structural diff (`diffDocs`) is computed only when someone looks at it.
 */
export function changeSize(a: DocJSON, b: DocJSON): { insertedWords: number; deletedWords: number } {
  const bag = new Map<string, number>();
  const words = (doc: DocJSON) => {
    const parts: string[] = [];
    const stack: DocJSON[] = [doc];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.text) parts.push(n.text);
      if (n.type === 'footnote' || n.type === 'hardBreak') parts.push(' ');
      if (n.type === 'footnote' && typeof n.attrs?.text === 'string') parts.push(n.attrs.text, ' ');
      if (n.content) {
        parts.push(' '); // a block boundary; adjacent text nodes (bold inside a word) stay one word
        for (let i = n.content.length - 1; i >= 0; i--) stack.push(n.content[i]!);
      }
    }
    return parts.join('').match(WORD_RE) ?? [];
  };
  for (const w of words(a)) bag.set(w, (bag.get(w) ?? 0) + 1);
  let insertedWords = 0;
  for (const w of words(b)) {
    const n = bag.get(w) ?? 0;
    if (n > 0) bag.set(w, n - 1);
    else insertedWords++;
  }
  let deletedWords = 0;
  for (const n of bag.values()) deletedWords += n;
  return { insertedWords, deletedWords };
}
