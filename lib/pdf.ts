// The PDF of a published statement (R4): the final text (title, date, headings, paragraphs, lists, quotations,
// footnotes as numbered notes) and its signatory list (groups, roles, joined-later and withdrawn marks), with Noto
// Sans (Latin, Cyrillic, Greek) and Noto Sans Armenian embedded as subsets, a font chosen per run of characters.
// Rendered once per record revision and language, and stored in PostgreSQL (files + record_pdfs), so every
// instance serves the same bytes and nothing renders per request. Built from the signed record only (I13).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { and, eq } from 'drizzle-orm';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import type { DbOrTx } from '@/db';
import { files, recordPdfs } from '@/db/schema';
import type { DocJSON } from './editor/extensions';
import { isAllowedHref, normalizedHref } from './editor/extensions';
import {
  formatDay,
  groupSignatories,
  outputText,
  signatoryView,
  signedCount,
  textFor,
  uiLocaleOf,
} from './public-outputs';
import { getPublicStatement, orderedSignatories, type PublicStatement } from './publishing';

// ---- fonts ----

type Style = 'regular' | 'bold' | 'italic' | 'boldItalic';
const STYLES: Style[] = ['regular', 'bold', 'italic', 'boldItalic'];
type LoadedFont = { name: string; data: Buffer; font: fontkit.Font };

// In order of preference: a character is set in the first font that has it.
const FAMILIES: { key: string; pkg: string; subset: string; italic: boolean }[] = [
  { key: 'latin', pkg: 'noto-sans', subset: 'noto-sans-latin', italic: true },
  { key: 'armenian', pkg: 'noto-sans-armenian', subset: 'noto-sans-armenian-armenian', italic: false },
  { key: 'cyrillic', pkg: 'noto-sans', subset: 'noto-sans-cyrillic', italic: true },
  { key: 'latinExt', pkg: 'noto-sans', subset: 'noto-sans-latin-ext', italic: true },
  { key: 'cyrillicExt', pkg: 'noto-sans', subset: 'noto-sans-cyrillic-ext', italic: true },
  { key: 'greek', pkg: 'noto-sans', subset: 'noto-sans-greek', italic: true },
];

const fontFile = (pkg: string, subset: string, style: Style, italic: boolean) => {
  const weight = style === 'bold' || style === 'boldItalic' ? 700 : 400;
  const slant = italic && (style === 'italic' || style === 'boldItalic') ? 'italic' : 'normal';
  // fontkit reads WOFF (zlib); the @fontsource packages ship WOFF and WOFF2 per unicode subset.
  return path.join(
    process.cwd(),
    'node_modules',
    '@fontsource',
    pkg,
    'files',
    `${subset}-${weight}-${slant}.woff`,
  );
};

/**
 * WOFF 1.0 → the plain TrueType/OpenType font it wraps (tables inflated with node's zlib). fontkit reads WOFF, but
 * inflates tables in JavaScript on every parse; pdfkit parses each registered font per document, so a font
 * unwrapped once keeps rendering fast.
 */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') return woff;
  const flavor = woff.readUInt32BE(4);
  const numTables = woff.readUInt16BE(12);
  const tables: { tag: Buffer; checksum: number; data: Buffer }[] = [];
  for (let i = 0; i < numTables; i++) {
    const at = 44 + i * 20;
    const offset = woff.readUInt32BE(at + 4);
    const compLength = woff.readUInt32BE(at + 8);
    const origLength = woff.readUInt32BE(at + 12);
    const raw = woff.subarray(offset, offset + compLength);
    const data = compLength < origLength ? zlib.inflateSync(raw) : Buffer.from(raw);
    if (data.length !== origLength) throw new Error('corrupt WOFF table');
    tables.push({ tag: woff.subarray(at, at + 4), checksum: woff.readUInt32BE(at + 16), data });
  }
  const pow = 2 ** Math.floor(Math.log2(numTables));
  const head = Buffer.alloc(12 + numTables * 16);
  head.writeUInt32BE(flavor, 0);
  head.writeUInt16BE(numTables, 4);
  head.writeUInt16BE(pow * 16, 6);
  head.writeUInt16BE(Math.log2(pow), 8);
  head.writeUInt16BE(numTables * 16 - pow * 16, 10);
  const parts: Buffer[] = [head];
  let offset = head.length;
  tables.forEach((t, i) => {
    t.tag.copy(head, 12 + i * 16);
    head.writeUInt32BE(t.checksum, 12 + i * 16 + 4);
    head.writeUInt32BE(offset, 12 + i * 16 + 8);
    head.writeUInt32BE(t.data.length, 12 + i * 16 + 12);
    const padded = Buffer.alloc((t.data.length + 3) & ~3);
    t.data.copy(padded);
    parts.push(padded);
    offset += padded.length;
  });
  return Buffer.concat(parts);
}

let fontCache: Record<Style, LoadedFont[]> | null = null;

/** The fonts per style, read and parsed once per process. */
function fonts(): Record<Style, LoadedFont[]> {
  if (fontCache) return fontCache;
  const out = {} as Record<Style, LoadedFont[]>;
  const byFile = new Map<string, LoadedFont>();
  for (const style of STYLES) {
    out[style] = FAMILIES.map((f) => {
      const file = fontFile(f.pkg, f.subset, style, f.italic);
      let loaded = byFile.get(file);
      if (!loaded) {
        const data = woffToSfnt(fs.readFileSync(file));
        loaded = { name: path.basename(file, '.woff'), data, font: fontkit.create(data) as fontkit.Font };
        byFile.set(file, loaded);
      }
      return loaded;
    });
  }
  fontCache = out;
  return out;
}

// Whitespace and punctuation stay in the font of the run they are in when that font has them.
const NEUTRAL = /[\s\p{P}\p{S}\p{N}]/u;

// fontkit's cmap lookups, memoized per font and code point (a list of 10,000 names asks the same few hundred).
const glyphCache = new Map<LoadedFont, Map<number, boolean>>();
function has(f: LoadedFont, cp: number): boolean {
  let m = glyphCache.get(f);
  if (!m) glyphCache.set(f, (m = new Map()));
  let v = m.get(cp);
  if (v === undefined) m.set(cp, (v = f.font.hasGlyphForCodePoint(cp)));
  return v;
}

/** Split text into runs, each set in one font that has its characters (the first font when none has one). */
export function fontRuns(text: string, style: Style): { font: string; text: string }[] {
  const list = fonts()[style];
  const runs: { font: LoadedFont; text: string }[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const cur = runs[runs.length - 1];
    let f: LoadedFont | undefined;
    if (cur && NEUTRAL.test(ch) && has(cur.font, cp)) f = cur.font;
    else f = list.find((x) => has(x, cp)) ?? cur?.font ?? list[0]!;
    if (cur && cur.font === f) cur.text += ch;
    else runs.push({ font: f, text: ch });
  }
  return runs.map((r) => ({ font: r.font.name, text: r.text }));
}

// ---- text model ----

type Seg = {
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  link?: string | null;
  color?: string;
};

/** Control characters out (tabs and line breaks kept as spaces / breaks). */
const clean = (s: string) =>
  String(s ?? '')
    .replace(/\t/g, ' ')
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, '');

const styleOf = (s: Seg): Style =>
  s.bold && s.italic ? 'boldItalic' : s.bold ? 'bold' : s.italic ? 'italic' : 'regular';

type Layout = { doc: PDFKit.PDFDocument; left: number; width: number; notes: string[] };

const BODY = 11;
const GRAY = '#555555';
const INK = '#111111';

function ensureRoom(l: Layout, height: number) {
  const bottom = l.doc.page.height - l.doc.page.margins.bottom;
  if (l.doc.y + height > bottom) l.doc.addPage();
}

/** Write one paragraph of styled segments at the layout's left edge and width; a "\n" starts a new line. */
function paragraph(
  l: Layout,
  segs: Seg[],
  opts: { size?: number; gap?: number; align?: 'left' | 'center' } = {},
) {
  const size = opts.size ?? BODY;
  const lines: { font: string; text: string; seg: Seg }[][] = [[]];
  for (const seg of segs) {
    clean(seg.text)
      .split('\n')
      .forEach((part, i) => {
        if (i > 0) lines.push([]);
        if (part) for (const r of fontRuns(part, styleOf(seg))) lines[lines.length - 1]!.push({ ...r, seg });
      });
  }
  const { doc } = l;
  if (lines.every((line) => line.length === 0)) return;
  for (const pieces of lines) {
    ensureRoom(l, size * 1.4);
    if (pieces.length === 0) {
      doc.y += size * 1.2;
      continue;
    }
    pieces.forEach((p, i) => {
      doc
        .font(p.font)
        .fontSize(size)
        .fillColor(p.seg.color ?? INK);
      const o: PDFKit.Mixins.TextOptions = {
        continued: i < pieces.length - 1,
        underline: !!p.seg.underline || !!p.seg.link,
        link: p.seg.link ?? null,
        lineGap: 2,
      };
      if (i === 0) doc.text(p.text, l.left, doc.y, { ...o, width: l.width, align: opts.align ?? 'left' });
      else doc.text(p.text, o);
    });
  }
  doc.fillColor(INK);
  doc.y += opts.gap ?? size * 0.6;
}

/** The inline content of a block as segments; footnotes become "[n]" and their text is kept for the notes. */
function inlineSegs(node: DocJSON, l: Layout, marks: Seg = { text: '' }): Seg[] {
  const out: Seg[] = [];
  for (const c of node.content ?? []) {
    if (c.type === 'text') {
      const m: Seg = { ...marks, text: c.text ?? '' };
      for (const mk of c.marks ?? []) {
        if (mk.type === 'bold') m.bold = true;
        else if (mk.type === 'italic') m.italic = true;
        else if (mk.type === 'underline') m.underline = true;
        else if (mk.type === 'link' && isAllowedHref(mk.attrs?.href))
          m.link = normalizedHref(String(mk.attrs!.href));
      }
      out.push(m);
    } else if (c.type === 'hardBreak') out.push({ ...marks, text: '\n' });
    else if (c.type === 'footnote') {
      l.notes.push(String(c.attrs?.text ?? ''));
      out.push({ text: `[${l.notes.length}]`, color: GRAY });
    } else out.push(...inlineSegs(c, l, marks));
  }
  return out;
}

function blocks(l: Layout, nodes: DocJSON[], depth = 0) {
  for (const n of nodes) block(l, n, depth);
}

function block(l: Layout, n: DocJSON, depth: number) {
  const { doc } = l;
  switch (n.type) {
    case 'paragraph':
      paragraph(l, inlineSegs(n, l));
      break;
    case 'heading': {
      const level = Number(n.attrs?.level) === 3 ? 3 : 2;
      doc.y += 4;
      paragraph(l, inlineSegs(n, l, { text: '', bold: true }), { size: level === 2 ? 14 : 12.5, gap: 6 });
      break;
    }
    case 'bulletList':
    case 'orderedList': {
      const start = Number(n.attrs?.start ?? 1);
      let k = Number.isInteger(start) ? start : 1;
      for (const item of n.content ?? []) {
        const marker = n.type === 'bulletList' ? '•' : `${k++}.`;
        const indent = 18;
        ensureRoom(l, BODY * 1.4);
        const y = doc.y;
        doc
          .font(fontRuns(marker, 'regular')[0]!.font)
          .fontSize(BODY)
          .fillColor(INK)
          .text(marker, l.left, y, { width: indent - 4, lineBreak: false });
        doc.y = y;
        blocks({ ...l, left: l.left + indent, width: l.width - indent }, item.content ?? [], depth + 1);
      }
      break;
    }
    case 'listItem':
      blocks(l, n.content ?? [], depth);
      break;
    case 'blockquote': {
      const startY = doc.y;
      const startPage = doc.bufferedPageRange().count;
      blocks({ ...l, left: l.left + 16, width: l.width - 16 }, n.content ?? [], depth + 1);
      if (doc.bufferedPageRange().count === startPage) {
        doc
          .moveTo(l.left + 4, startY)
          .lineTo(l.left + 4, doc.y - 6)
          .lineWidth(1.5)
          .strokeColor('#999999')
          .stroke();
      }
      break;
    }
    case 'horizontalRule':
      ensureRoom(l, 16);
      doc
        .moveTo(l.left, doc.y + 4)
        .lineTo(l.left + l.width, doc.y + 4)
        .lineWidth(0.5)
        .strokeColor('#999999')
        .stroke();
      doc.y += 14;
      break;
    default:
      // Anything else the schema might grow: its text, so nothing is silently dropped.
      if (n.content) paragraph(l, inlineSegs(n, l));
  }
}

// ---- the document ----

export type PdfSource = Pick<PublicStatement, 'record' | 'listOrder' | 'positions' | 'envelope'> &
  Partial<Pick<PublicStatement, 'timeZone'>>;

/** Render the PDF of a record in `lang` (the text in that language when the version has it). Deterministic for a record. */
export async function renderStatementPdf(pub: PdfSource, lang: string, origin: string): Promise<Buffer> {
  const record = pub.record;
  const ui = uiLocaleOf(lang);
  const t = outputText(ui);
  const text = textFor(record, lang);
  const url = `${origin}/${ui}/s/${record.slug}`;
  const when = new Date(record.published_at);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 64, left: 64, right: 64 },
    bufferPages: true,
    displayTitle: true,
    lang: text.lang,
    info: {
      Title: clean(text.title),
      Creator: 'Undersigned',
      Producer: 'Undersigned',
      CreationDate: when,
      ModDate: when,
    },
  });
  for (const style of STYLES) for (const f of fonts()[style]) doc.registerFont(f.name, f.data);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });

  const l: Layout = {
    doc,
    left: doc.page.margins.left,
    width: doc.page.width - doc.page.margins.left - doc.page.margins.right,
    notes: [],
  };
  paragraph(l, [{ text: text.title, bold: true }], { size: 20, gap: 8 });
  paragraph(l, [{ text: t('dateLine', { date: formatDay(record.display_date, ui) }), color: GRAY }], {
    size: 10,
    gap: 2,
  });
  paragraph(l, [{ text: t('publishedOn', { url }), color: GRAY }], { size: 9, gap: 4 });
  if (record.withdrawn)
    paragraph(
      l,
      [
        {
          text: t('withdrawnStatement', {
            date: formatDay(record.withdrawn.at, ui, pub.timeZone),
            reason: record.withdrawn.reason,
          }),
          bold: true,
        },
      ],
      { size: 10.5 },
    );
  else if (record.closed_at)
    paragraph(l, [{ text: t('closedStatement', { date: formatDay(record.closed_at, ui, pub.timeZone) }), color: GRAY }], {
      size: 10,
    });
  doc.y += 8;

  blocks(l, text.body.content ?? []);

  if (l.notes.length) {
    doc.y += 6;
    paragraph(l, [{ text: t('notes'), bold: true }], { size: 12.5, gap: 4 });
    l.notes.forEach((note, i) => paragraph(l, [{ text: `[${i + 1}] ${note}` }], { size: 9.5, gap: 3 }));
  }

  const corrections = record.corrections.filter((c) => c.lang === text.lang || !record.texts[c.lang]);
  const shownCorrections = corrections.length ? corrections : record.corrections;
  if (shownCorrections.length) {
    doc.y += 6;
    paragraph(l, [{ text: t('corrections'), bold: true }], { size: 12.5, gap: 4 });
    for (const c of shownCorrections) {
      paragraph(l, [{ text: t('correctionOn', { date: formatDay(c.at, ui, pub.timeZone) }), bold: true }], {
        size: 10,
        gap: 2,
      });
      paragraph(l, [{ text: c.body }], { size: 10 });
    }
  }

  const list = orderedSignatories(pub, lang).map((s) => signatoryView(s, lang, record.source_url, { timeZone: pub.timeZone }));
  doc.y += 10;
  paragraph(l, [{ text: `${t('signatories')} (${signedCount(record)})`, bold: true }], { size: 14, gap: 6 });
  for (const g of groupSignatories(list)) {
    if (g.group) paragraph(l, [{ text: g.group, bold: true }], { size: 11.5, gap: 4 });
    for (const s of g.items) {
      const color = s.withdrawn ? GRAY : INK;
      const segs: Seg[] = [{ text: s.name, bold: true, color }];
      if (s.person) segs.push({ text: ` — ${s.person}`, color });
      if (s.place) segs.push({ text: ` (${s.place})`, color });
      const marks = [
        ...(s.initiator ? [t('initiator')] : []),
        ...(s.verified ? [t('verified')] : []),
        ...s.marks,
      ];
      if (marks.length) segs.push({ text: ` · ${marks.join(' · ')}`, color: GRAY });
      paragraph(l, segs, { size: 10, gap: 3 });
    }
  }

  // Footer on every page: where the statement lives, the record it was made from, the page number.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - 44;
    const foot = `${url} · ${t('recordLine', { seq: String(record.record_seq), hash: pub.envelope.sha256.slice(0, 16) })} · ${i - range.start + 1}/${range.count}`;
    doc.y = y;
    paragraph(l, [{ text: foot, color: GRAY }], { size: 7, gap: 0 });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

// ---- stored once per record revision and language ----

export const PDF_KIND = 'statement_pdf';

export type StoredPdf = { bytes: Buffer; sha256: string; seq: number; size: number };

async function storedPdf(
  db: DbOrTx,
  statementId: string,
  seq: number,
  lang: string,
): Promise<StoredPdf | null> {
  const [row] = await db
    .select({ bytes: files.bytes, sha256: files.sha256, size: files.size })
    .from(recordPdfs)
    .innerJoin(files, eq(files.id, recordPdfs.fileId))
    .where(and(eq(recordPdfs.statementId, statementId), eq(recordPdfs.seq, seq), eq(recordPdfs.lang, lang)));
  return row ? { bytes: row.bytes, sha256: row.sha256, size: row.size, seq } : null;
}

class LostRace extends Error {}

/**
 * Permission: anyone (public record). The PDF of the statement's current record in `lang`: the stored one, or
 * rendered now, stored (files + record_pdfs) and returned; concurrent first requests keep one (ON CONFLICT DO
 * NOTHING; the loser reads the winner's). Null when no such published statement.
 */
export async function getStatementPdf(
  db: DbOrTx,
  slug: string,
  lang: string,
  origin: string,
): Promise<StoredPdf | null> {
  const pub = await getPublicStatement(db, slug);
  if (!pub) return null;
  const seq = pub.record.record_seq;
  const have = await storedPdf(db, pub.statementId, seq, lang);
  if (have) return have;
  const bytes = await renderStatementPdf(pub, lang, origin);
  const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  try {
    await db.transaction(async (tx) => {
      const [file] = await tx
        .insert(files)
        .values({ kind: PDF_KIND, mime: 'application/pdf', bytes, sha256, size: bytes.length })
        .returning({ id: files.id });
      const won = await tx
        .insert(recordPdfs)
        .values({ statementId: pub.statementId, seq, lang, fileId: file!.id })
        .onConflictDoNothing()
        .returning({ fileId: recordPdfs.fileId });
      // Another request stored this revision first: keep theirs, leave no orphan file.
      if (won.length === 0) throw new LostRace();
    });
  } catch (e) {
    if (!(e instanceof LostRace)) throw e;
    return storedPdf(db, pub.statementId, seq, lang);
  }
  return { bytes, sha256, size: bytes.length, seq };
}
