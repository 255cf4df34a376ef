import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DocJSON } from './extensions';
import {
  changeSize,
  type DiffBlock,
  type DocDiff,
  diffDocs,
  diffStats,
  docPlainText,
  docWordCount,
  renderDiffHtml,
} from './diff';

// ---- fixture builders -----------------------------------------------------------------------------------

type Mark = NonNullable<DocJSON['marks']>[number];
const bold: Mark = { type: 'bold' };
const italic: Mark = { type: 'italic' };
const link = (href: string): Mark => ({ type: 'link', attrs: { href } });
const t = (text: string, ...marks: Mark[]): DocJSON =>
  marks.length ? { type: 'text', text, marks } : { type: 'text', text };
const inl = (c: DocJSON | string): DocJSON => (typeof c === 'string' ? t(c) : c);
const p = (...c: (DocJSON | string)[]): DocJSON =>
  c.length ? { type: 'paragraph', content: c.map(inl) } : { type: 'paragraph' };
const h = (level: 2 | 3, text: string): DocJSON => ({
  type: 'heading',
  attrs: { level },
  content: [t(text)],
});
const li = (...c: DocJSON[]): DocJSON => ({ type: 'listItem', content: c });
const ul = (...items: (string | DocJSON)[]): DocJSON => ({
  type: 'bulletList',
  content: items.map((i) => (typeof i === 'string' ? li(p(i)) : i)),
});
const ol = (start: number, ...items: string[]): DocJSON => ({
  type: 'orderedList',
  attrs: { start, type: null },
  content: items.map((i) => li(p(i))),
});
const quote = (...c: DocJSON[]): DocJSON => ({ type: 'blockquote', content: c });
const fn = (text: string): DocJSON => ({ type: 'footnote', attrs: { text } });
const br: DocJSON = { type: 'hardBreak' };
const hr: DocJSON = { type: 'horizontalRule' };
const doc = (...c: DocJSON[]): DocJSON => ({ type: 'doc', content: c });

/** The non-equal tokens, compactly: [op, text, marks?, href?]. */
function changes(d: DocDiff | DiffBlock) {
  const tokens = 'blocks' in d ? d.blocks.flatMap((b) => b.tokens) : d.tokens;
  return tokens
    .filter((x) => x.op !== 'equal')
    .map((x) => {
      const row: (string | string[])[] = [x.op, x.text];
      if (x.marks.length || x.href !== undefined) row.push(x.marks);
      if (x.href !== undefined) row.push(x.href);
      return row;
    });
}
const ops = (d: DocDiff) => d.blocks.map((b) => b.op);
const text = (b: DiffBlock | undefined) => (b ? b.tokens.map((x) => x.text).join('') : undefined);

// ---- (a)–(j) -------------------------------------------------------------------------------------------

describe('diffDocs: blocks', () => {
  it('(a) a paragraph inserted between two others is one inserted block', () => {
    const a = doc(p('First paragraph stays.'), p('Last paragraph stays.'));
    const b = doc(p('First paragraph stays.'), p('A new paragraph, in between.'), p('Last paragraph stays.'));
    const d = diffDocs(a, b);
    expect(ops(d)).toEqual(['equal', 'insert', 'equal']);
    expect(d.blocks[1]).toMatchObject({ op: 'insert', kind: 'paragraph' });
    expect(text(d.blocks[1])).toBe('A new paragraph, in between.');
    expect(d.blocks[1]!.tokens.every((x) => x.op === 'insert')).toBe(true);
    expect(d.stats).toEqual({ insertedWords: 5, deletedWords: 0, changedBlocks: 1 });
    expect(renderDiffHtml(d)).toBe(
      '<p>First paragraph stays.</p><p class="diff-block-insert"><ins>A new paragraph, in between.</ins></p><p>Last paragraph stays.</p>',
    );
  });

  it('(b) a list item moved from position 1 to 3: one deletion where it was, one insertion where it is', () => {
    const a = doc(
      p('Our demands:'),
      ul('Release the detainees', 'Stop the raids', 'Open an inquiry'),
      p('Signed.'),
    );
    const b = doc(
      p('Our demands:'),
      ul('Stop the raids', 'Open an inquiry', 'Release the detainees'),
      p('Signed.'),
    );
    const d = diffDocs(a, b);
    expect(ops(d)).toEqual(['equal', 'delete', 'equal', 'equal', 'insert', 'equal']);
    expect(d.blocks[1]).toMatchObject({ op: 'delete', kind: 'listItem', list: 'bullet', depth: 0, index: 0 });
    expect(d.blocks[4]).toMatchObject({ op: 'insert', kind: 'listItem', list: 'bullet', depth: 0, index: 2 });
    expect(text(d.blocks[1])).toBe('Release the detainees');
    expect(text(d.blocks[4])).toBe('Release the detainees');
    expect(d.blocks.filter((b) => b.op === 'equal').map(text)).toEqual([
      'Our demands:',
      'Stop the raids',
      'Open an inquiry',
      'Signed.',
    ]);
    expect(d.stats).toEqual({ insertedWords: 3, deletedWords: 3, changedBlocks: 2 });
    expect(renderDiffHtml(d)).toBe(
      '<p>Our demands:</p><ul><li class="diff-block-delete"><del>Release the detainees</del></li><li>Stop the raids</li>' +
        '<li>Open an inquiry</li><li class="diff-block-insert"><ins>Release the detainees</ins></li></ul><p>Signed.</p>',
    );
  });

  it('(c) a link target changed: the linked words deleted and re-inserted, both hrefs shown as text', () => {
    const a = doc(p('Read ', t('the report', link('https://old.example/r')), ' today.'));
    const b = doc(p('Read ', t('the report', link('https://new.example/r?a=1&b=2')), ' today.'));
    const d = diffDocs(a, b);
    expect(ops(d)).toEqual(['change']);
    expect(changes(d)).toEqual([
      ['delete', 'the', [], 'https://old.example/r'],
      ['delete', ' ', [], 'https://old.example/r'],
      ['delete', 'report', [], 'https://old.example/r'],
      ['insert', 'the', [], 'https://new.example/r?a=1&b=2'],
      ['insert', ' ', [], 'https://new.example/r?a=1&b=2'],
      ['insert', 'report', [], 'https://new.example/r?a=1&b=2'],
    ]);
    expect(d.blocks[0]!.tokens.filter((x) => x.op !== 'equal').every((x) => x.format === true)).toBe(true);
    expect(d.stats).toEqual({ insertedWords: 2, deletedWords: 2, changedBlocks: 1 });
    const html = renderDiffHtml(d);
    expect(html).toBe(
      '<p class="diff-block-change">Read ' +
        '<del class="diff-format"><span class="diff-link">the report</span> <span class="diff-href">https://old.example/r</span></del>' +
        '<ins class="diff-format"><span class="diff-link">the report</span> <span class="diff-href">https://new.example/r?a=1&amp;b=2</span></ins>' +
        ' today.</p>',
    );
    expect(html).not.toMatch(/<a[\s>]|href=/);
  });

  it('(d) bold toggled on one word: only that word deleted and re-inserted, as a formatting change', () => {
    const a = doc(p('We condemn the violence.'));
    const d = diffDocs(a, doc(p('We condemn ', t('the', bold), ' violence.')));
    expect(ops(d)).toEqual(['change']);
    expect(changes(d)).toEqual([
      ['delete', 'the'],
      ['insert', 'the', ['bold']],
    ]);
    expect(d.blocks[0]!.tokens.filter((x) => x.op !== 'equal').map((x) => x.format)).toEqual([true, true]);
    expect(d.stats).toEqual({ insertedWords: 1, deletedWords: 1, changedBlocks: 1 });
    expect(renderDiffHtml(d)).toBe(
      '<p class="diff-block-change">We condemn <del class="diff-format">the</del><ins class="diff-format"><strong>the</strong></ins> violence.</p>',
    );
    // Bold spilling over the following space changes nothing more: bold on whitespace is invisible.
    expect(changes(diffDocs(a, doc(p('We condemn ', t('the ', bold), 'violence.'))))).toEqual([
      ['delete', 'the'],
      ['insert', 'the', ['bold']],
    ]);
    // Bold on half a word is still one word changed.
    const half = diffDocs(doc(p('bold text')), doc(p(t('bo', bold), 'ld text')));
    expect(changes(half)).toEqual([
      ['delete', 'bold'],
      ['insert', 'bo', ['bold']],
      ['insert', 'ld'],
    ]);
    expect(half.stats).toEqual({ insertedWords: 1, deletedWords: 1, changedBlocks: 1 });
  });

  it('(e) Armenian: an inserted word and a replaced word, exactly', () => {
    const a = doc(p('Մենք դատապարտում ենք բռնությունը։'));
    const inserted = diffDocs(a, doc(p('Մենք խստորեն դատապարտում ենք բռնությունը։')));
    expect(ops(inserted)).toEqual(['change']);
    expect(changes(inserted)).toEqual([
      ['insert', 'խստորեն'],
      ['insert', ' '],
    ]);
    expect(inserted.stats).toEqual({ insertedWords: 1, deletedWords: 0, changedBlocks: 1 });
    expect(renderDiffHtml(inserted)).toBe(
      '<p class="diff-block-change">Մենք <ins>խստորեն </ins>դատապարտում ենք բռնությունը։</p>',
    );

    const replaced = diffDocs(a, doc(p('Մենք դատապարտում ենք ճնշումը։')));
    expect(changes(replaced)).toEqual([
      ['delete', 'բռնությունը'],
      ['insert', 'ճնշումը'],
    ]);
    expect(replaced.stats).toEqual({ insertedWords: 1, deletedWords: 1, changedBlocks: 1 });

    // The question mark written inside an Armenian word keeps the word whole; "։" and "՝" are punctuation.
    const q = diffDocs(doc(p('Ինչո՞ւ, ասացեք՝ ինչո՞ւ։')), doc(p('Ինչո՞ւ, ասացեք՝ երբ։')));
    expect(changes(q)).toEqual([
      ['delete', 'ինչո՞ւ'],
      ['insert', 'երբ'],
    ]);
  });

  it('(f) identical documents: every block equal, stats zero, nothing marked in the HTML', () => {
    const a = doc(
      h(2, 'Statement'),
      p(
        'We, the ',
        t('undersigned', bold, italic),
        ', see ',
        t('this', link('https://example.org')),
        '.',
        fn('A note.'),
        br,
        'Next line',
      ),
      ul('one', li(p('two'), ol(1, 'nested'))),
      quote(p('Quoted words')),
      hr,
      p(),
    );
    const d = diffDocs(a, structuredClone(a));
    expect(d.blocks).toHaveLength(8);
    expect(d.blocks.every((b) => b.op === 'equal' && b.tokens.every((x) => x.op === 'equal'))).toBe(true);
    expect(d.stats).toEqual({ insertedWords: 0, deletedWords: 0, changedBlocks: 0 });
    expect(diffStats(a, a)).toEqual({ insertedWords: 0, deletedWords: 0, changedBlocks: 0 });
    const html = renderDiffHtml(d);
    expect(html).not.toMatch(/<ins|<del|diff-block|diff-href/);
    expect(renderDiffHtml(d, { onlyChanges: true })).toBe('<p class="diff-skip">…</p>');
    // The order marks are stored in does not matter.
    expect(diffStats(doc(p(t('x', bold, italic))), doc(p(t('x', italic, bold))))).toEqual(d.stats);
  });

  it('(h) Russian: an inserted word and a replaced word, exactly', () => {
    const d = diffDocs(
      doc(p('Мы осуждаем насилие и требуем расследования.')),
      doc(p('Мы решительно осуждаем репрессии и требуем расследования.')),
    );
    expect(ops(d)).toEqual(['change']);
    expect(changes(d)).toEqual([
      ['insert', 'решительно'],
      ['insert', ' '],
      ['delete', 'насилие'],
      ['insert', 'репрессии'],
    ]);
    expect(d.stats).toEqual({ insertedWords: 2, deletedWords: 1, changedBlocks: 1 });
    expect(renderDiffHtml(d)).toBe(
      '<p class="diff-block-change">Мы <ins>решительно </ins>осуждаем <del>насилие</del><ins>репрессии</ins> и требуем расследования.</p>',
    );
  });

  it('(i) a heading level change is one changed block that knows its old level', () => {
    const d = diffDocs(doc(h(2, 'Our position'), p('Text.')), doc(h(3, 'Our position'), p('Text.')));
    expect(ops(d)).toEqual(['change', 'equal']);
    expect(d.blocks[0]).toMatchObject({
      op: 'change',
      kind: 'heading',
      level: 3,
      was: { kind: 'heading', level: 2 },
    });
    expect(changes(d)).toEqual([]);
    expect(d.stats).toEqual({ insertedWords: 0, deletedWords: 0, changedBlocks: 1 });
    expect(renderDiffHtml(d)).toBe(
      '<h3 class="diff-block-change diff-block-restyle"><span class="diff-was">H2</span> Our position</h3><p>Text.</p>',
    );
    // A paragraph turned into a heading, with a word changed: a change, not a deletion plus an insertion.
    const d2 = diffDocs(doc(p('Our common position')), doc(h(2, 'Our joint position')));
    expect(d2.blocks).toHaveLength(1);
    expect(d2.blocks[0]).toMatchObject({
      op: 'change',
      kind: 'heading',
      level: 2,
      was: { kind: 'paragraph' },
    });
    expect(changes(d2)).toEqual([
      ['delete', 'common'],
      ['insert', 'joint'],
    ]);
  });

  it('(j) docWordCount and docPlainText on Armenian + English with a footnote and a hard break', () => {
    const d = doc(
      h(2, 'Հայտարարություն'),
      p('Մենք պաշտպանում ենք ', t('human rights', bold), '։', fn('UN report, 2024'), br, 'Ինչո՞ւ ոչ'),
      hr,
      p(),
      ul('Point one', 'Քաղաքացիական հասարակություն'),
    );
    expect(docPlainText(d)).toBe(
      'Հայտարարություն\n\nՄենք պաշտպանում ենք human rights։[UN report, 2024]\nԻնչո՞ւ ոչ\n\nPoint one\n\nՔաղաքացիական հասարակություն',
    );
    // Words: 1 + (Մենք պաշտպանում ենք human rights UN report 2024 Ինչո՞ւ ոչ = 10) + 2 + 2.
    // Characters: 15 + 57 (text and note, without the break or brackets) + 9 + 27.
    expect(docWordCount(d)).toEqual({ words: 15, characters: 108 });
    // A word split by formatting is one word; hyphenated and apostrophe words are one word.
    expect(docWordCount(doc(p(t('Из', bold), '-за этого кто-то ушёл; don’t.')))).toEqual({
      words: 5,
      characters: 31,
    });
    expect(docWordCount(doc(p()))).toEqual({ words: 0, characters: 0 });
  });
});

// ---- (g) escaping ----------------------------------------------------------------------------------------

describe('renderDiffHtml: safe to inject', () => {
  const evilA = doc(
    p('Before <script>alert(1)</script> and " onmouseover="x', fn('</sup><img src=x onerror=alert(2)>')),
    p('See ', t('this link', link('https://example.org/safe')), ' now.'),
  );
  const evilB = doc(
    p(
      'After <script>alert(1)</script> and " onmouseover="x \'quoted\'',
      fn('</sup><img src=x onerror=alert(3)>'),
    ),
    p('See ', t('this link', link('javascript:alert(1)')), ' now.'),
    p(t('inserted', link('" onclick="y'))),
  );
  const html = renderDiffHtml(diffDocs(evilA, evilB));

  it('(g) escapes text, notes and hrefs; writes no href attribute, only known tags and diff- classes', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot; onmouseover=&quot;x');
    expect(html).toContain('&#39;quoted&#39;');
    expect(html).toContain(
      '<sup class="diff-footnote">[note: &lt;/sup&gt;&lt;img src=x onerror=alert(3)&gt;]</sup>',
    );
    expect(html).toContain(
      '<ins class="diff-format"><span class="diff-link">this link</span> <span class="diff-href">javascript:alert(1)</span></ins>',
    );
    expect(html).toContain('<span class="diff-href">&quot; onclick=&quot;y</span>');
    // javascript: appears once, as text in a diff-href span.
    expect(html.split('javascript:').length).toBe(2);
    expect(html).not.toMatch(/<script|<img|<a[\s>]|href=|onclick="|onmouseover="/i);

    const tags = html.match(/<[^>]*>/g) ?? [];
    expect(tags.length).toBeGreaterThan(10);
    for (const tag of tags) {
      expect(tag).toMatch(
        /^<\/?(p|h[23]|ul|ol|li|blockquote|hr|br|ins|del|strong|em|u|span|sup)((?: (?:class|value|type)="[^"<>]*")*)>$/,
      );
      for (const [, cls] of tag.matchAll(/class="([^"]*)"/g)) {
        for (const c of cls!.split(' ')) expect(c).toMatch(/^diff-/);
      }
    }
    // Outside tags, no raw < or > (or unescaped quotes) remain.
    expect(html.replace(/<[^>]*>/g, '')).not.toMatch(/[<>"']/);
  });
});

// ---- more behaviour ---------------------------------------------------------------------------------------

describe('diffDocs: alignment and rendering details', () => {
  it('a paragraph rewritten beyond half its words is a deletion plus an insertion, not a change', () => {
    const d = diffDocs(
      doc(p('Keep.'), p('The council met on Monday evening.')),
      doc(p('Keep.'), p('Nobody came to the hearing at all.')),
    );
    expect(ops(d)).toEqual(['equal', 'delete', 'insert']);
    expect(d.stats).toEqual({ insertedWords: 7, deletedWords: 6, changedBlocks: 2 });
  });

  it('a replaced region pairs similar blocks in order and leaves the others whole', () => {
    const a = doc(p('Alpha beta gamma delta.'), p('Old text that goes away entirely.'));
    const b = doc(p('Alpha beta gamma epsilon.'), p('Completely different new words here.'));
    const d = diffDocs(a, b);
    expect(ops(d)).toEqual(['change', 'delete', 'insert']);
    expect(changes(d.blocks[0]!)).toEqual([
      ['delete', 'delta'],
      ['insert', 'epsilon'],
    ]);
  });

  it('"A B" replaced by "C D" reads as one replacement', () => {
    const d = diffDocs(doc(p('We ask for fair trials now.')), doc(p('We ask for open hearings now.')));
    expect(changes(d)).toEqual([
      ['delete', 'fair'],
      ['delete', ' '],
      ['delete', 'trials'],
      ['insert', 'open'],
      ['insert', ' '],
      ['insert', 'hearings'],
    ]);
    expect(renderDiffHtml(d)).toBe(
      '<p class="diff-block-change">We ask for <del>fair trials</del><ins>open hearings</ins> now.</p>',
    );
  });

  it('a changed footnote is one deleted and one inserted token', () => {
    const d = diffDocs(
      doc(p('Claim', fn('Source A, 2023.'), ' stands.')),
      doc(p('Claim', fn('Source B, 2024.'), ' stands.')),
    );
    expect(changes(d)).toEqual([
      ['delete', 'Source A, 2023.'],
      ['insert', 'Source B, 2024.'],
    ]);
    expect(d.blocks[0]!.tokens.filter((x) => x.op !== 'equal').every((x) => x.footnote === true)).toBe(true);
    expect(d.stats).toEqual({ insertedWords: 3, deletedWords: 3, changedBlocks: 1 });
    expect(renderDiffHtml(d, { noteLabel: 'ծանոթ.' })).toBe(
      '<p class="diff-block-change">Claim<del><sup class="diff-footnote">[ծանոթ.: Source A, 2023.]</sup></del>' +
        '<ins><sup class="diff-footnote">[ծանոթ.: Source B, 2024.]</sup></ins> stands.</p>',
    );
  });

  it('lists render nested, ordered items keep their numbers, quotes and rules keep their structure', () => {
    const a = doc(ul(li(p('Top'), ol(3, 'three', 'four'))), quote(p('Said once.')), hr);
    const b = doc(ul(li(p('Top'), ol(3, 'three', 'four', 'five'))), quote(p('Said twice.')));
    const d = diffDocs(a, b);
    expect(ops(d)).toEqual(['equal', 'equal', 'equal', 'insert', 'change', 'delete']);
    expect(d.blocks[3]).toMatchObject({ kind: 'listItem', list: 'ordered', depth: 1, index: 2, number: 5 });
    expect(d.blocks[4]).toMatchObject({ kind: 'blockquote', quote: 1 });
    expect(d.blocks[4]!.was).toBeUndefined();
    expect(renderDiffHtml(d)).toBe(
      '<ul><li>Top<ol><li value="3">three</li><li value="4">four</li>' +
        '<li class="diff-block-insert" value="5"><ins>five</ins></li></ol></li></ul>' +
        '<blockquote><p class="diff-block-change">Said <del>once</del><ins>twice</ins>.</p></blockquote>' +
        '<hr class="diff-block-delete">',
    );
  });

  it('onlyChanges keeps `context` blocks around each change and marks the gaps', () => {
    const paras = ['Zero.', 'One.', 'Two.', 'Three.', 'Four.', 'Five.', 'Six.'];
    const a = doc(...paras.map((x) => p(x)));
    const b = doc(...paras.map((x) => p(x === 'Three.' ? 'Three and more.' : x)));
    const d = diffDocs(a, b);
    expect(renderDiffHtml(d, { onlyChanges: true })).toBe(
      '<p class="diff-skip">…</p><p>Two.</p><p class="diff-block-change">Three<ins> and more</ins>.</p><p>Four.</p><p class="diff-skip">…</p>',
    );
    expect(renderDiffHtml(d, { onlyChanges: true, context: 0, skipLabel: '<…>' })).toBe(
      '<p class="diff-skip">&lt;…&gt;</p><p class="diff-block-change">Three<ins> and more</ins>.</p><p class="diff-skip">&lt;…&gt;</p>',
    );
    expect(renderDiffHtml(d, { onlyChanges: true, context: 3 })).toBe(renderDiffHtml(d));
  });

  it('diffs two 50-paragraph statements in a few milliseconds', () => {
    const sentence = (i: number) =>
      `Paragraph ${i}: we, the undersigned organisations, call on the authorities to respect freedom of assembly, ` +
      `release everyone detained for peaceful protest and open an independent inquiry into the events of ${i} May.`;
    const a = doc(...Array.from({ length: 50 }, (_, i) => p(sentence(i))));
    const b = doc(
      ...Array.from({ length: 50 }, (_, i) =>
        i % 10 === 3 ? p(sentence(i).replace('independent', 'prompt and independent')) : p(sentence(i)),
      ),
      p('One more paragraph at the end.'),
    );
    diffDocs(a, b); // warm-up
    const runs = 10;
    const start = performance.now();
    let d: DocDiff | undefined;
    for (let k = 0; k < runs; k++) d = diffDocs(a, b);
    const perDiff = (performance.now() - start) / runs;
    expect(d!.stats).toEqual({ insertedWords: 5 * 2 + 6, deletedWords: 0, changedBlocks: 6 });
    expect(perDiff).toBeLessThan(25);
  });
});

// ---- invariants on random documents ----------------------------------------------------------------------

const ALLOWED_TAG =
  /^<\/?(p|h[23]|ul|ol|li|blockquote|hr|br|ins|del|strong|em|u|span|sup)((?: (?:class|value|type)="[^"<>]*")*)>$/;

describe('diffDocs: invariants', () => {
  const word = fc.constantFrom(
    'Մենք',
    'ենք',
    'բռնությունը',
    'мы',
    'осуждаем',
    'ёлка',
    'we',
    'condemn',
    'it',
    '2024',
    '<b>',
    '"x\'',
  );
  const sep = fc.constantFrom(' ', ', ', '. ', ' — ', '։ ', '');
  const text = fc
    .array(fc.tuple(word, sep), { minLength: 0, maxLength: 8 })
    .map((ws) => ws.map(([w, s]) => w + s).join(''));
  const markSet = fc.subarray<Mark>([
    bold,
    italic,
    { type: 'underline' },
    link('https://a.example'),
    link('javascript:x'),
  ]);
  const inline = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(text, markSet)
        .filter(([s]) => s.length > 0)
        .map(([s, m]) => t(s, ...m)),
    },
    { weight: 1, arbitrary: text.map(fn) },
    { weight: 1, arbitrary: fc.constant(br) },
  );
  const para = fc.array(inline, { maxLength: 4 }).map((c) => p(...c));
  const block: fc.Arbitrary<DocJSON> = fc.oneof(
    { weight: 5, arbitrary: para },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom<2 | 3>(2, 3), text)
        .map(([l, s]) => (s ? h(l, s) : { type: 'heading', attrs: { level: l } })),
    },
    {
      weight: 2,
      arbitrary: fc.array(para, { minLength: 1, maxLength: 3 }).map((ps) => ul(...ps.map((x) => li(x)))),
    },
    {
      weight: 1,
      arbitrary: fc
        .array(fc.tuple(text, fc.boolean()), { minLength: 1, maxLength: 3 })
        .map((xs) => ol(1, ...xs.map(([s]) => s || 'x'))),
    },
    { weight: 1, arbitrary: para.map((x) => quote(x)) },
    { weight: 1, arbitrary: fc.constant(hr) },
  );
  const docArb = fc.array(block, { maxLength: 6 }).map((bs) => doc(...bs));
  const empty = doc();
  const sideTexts = (d: DocDiff, skip: 'insert' | 'delete') =>
    d.blocks
      .filter((b) => b.op !== skip)
      .map((b) =>
        b.tokens
          .filter((x) => x.op !== skip)
          .map((x) => `${x.footnote ? '^' : ''}${x.text}`)
          .join(''),
      );

  it('each side of the diff reproduces its document; identical documents diff to nothing; HTML stays in the allowlist', () => {
    fc.assert(
      fc.property(docArb, docArb, (a, b) => {
        const self = diffDocs(a, a);
        expect(self.stats).toEqual({ insertedWords: 0, deletedWords: 0, changedBlocks: 0 });
        const d = diffDocs(a, b);
        expect(sideTexts(d, 'insert')).toEqual(sideTexts(self, 'insert'));
        expect(sideTexts(d, 'delete')).toEqual(sideTexts(diffDocs(b, b), 'delete'));
        const changed = d.blocks.filter((x) => x.op !== 'equal').length;
        expect(d.stats.changedBlocks).toBe(changed);
        if (changed === 0) expect(d.stats).toEqual({ insertedWords: 0, deletedWords: 0, changedBlocks: 0 });
        // No more words inserted than the new text has, nor deleted than the old text had.
        expect(d.stats.insertedWords).toBeLessThanOrEqual(diffStats(empty, b).insertedWords);
        expect(d.stats.deletedWords).toBeLessThanOrEqual(diffStats(a, empty).deletedWords);
        const html = renderDiffHtml(d, { onlyChanges: true });
        for (const tag of html.match(/<[^>]*>/g) ?? []) expect(tag).toMatch(ALLOWED_TAG);
        expect(html.replace(/<[^>]*>/g, '')).not.toMatch(/[<>"']/);
      }),
      { numRuns: 300 },
    );
  });

  it('stays fast when every paragraph of a long statement is rewritten', () => {
    const a = doc(
      ...Array.from({ length: 150 }, (_, i) =>
        p(`Old paragraph number ${i} with several words that all go away.`),
      ),
    );
    const b = doc(
      ...Array.from({ length: 150 }, (_, i) => p(`Entirely new text ${i + 1000} written from scratch here.`)),
    );
    diffDocs(a, b); // warm-up
    const start = performance.now();
    const d = diffDocs(a, b);
    expect(performance.now() - start).toBeLessThan(250);
    expect(d.stats.changedBlocks).toBe(300);
    expect(ops(d).filter((o) => o === 'change')).toEqual([]);
  });
});

describe('changeSize (the revision list figure, computed inside the save transaction)', () => {
  const p = (...texts: string[]): DocJSON => ({
    type: 'doc',
    content: texts.map((t) => ({ type: 'paragraph', content: [{ type: 'text', text: t }] })),
  });
  it('counts words added and removed as multisets', () => {
    expect(changeSize(p('Մենք դատապարտում ենք բռնությունը'), p('Մենք խստորեն դատապարտում ենք'))).toEqual({
      insertedWords: 1,
      deletedWords: 1,
    });
    expect(changeSize(p('a b c'), p('a b c'))).toEqual({ insertedWords: 0, deletedWords: 0 });
    expect(changeSize(p('one', 'two'), p('two', 'one'))).toEqual({ insertedWords: 0, deletedWords: 0 });
    expect(changeSize({ type: 'doc', content: [{ type: 'paragraph' }] }, p('новый текст здесь'))).toEqual({
      insertedWords: 3,
      deletedWords: 0,
    });
  });
  it('keeps a word split by formatting whole and counts footnote text', () => {
    const split: DocJSON = {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'bo' },
            { type: 'text', text: 'ld', marks: [{ type: 'bold' }] },
            { type: 'footnote', attrs: { text: 'note here' } },
          ],
        },
      ],
    };
    expect(changeSize(p('bold'), split)).toEqual({ insertedWords: 2, deletedWords: 0 });
  });
});
