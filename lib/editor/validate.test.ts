// The server-side document validator (SECURITY.md I9): a document is accepted only when the editor's schema
// keeps it exactly as sent, and the stored form is `node.toJSON()`. Every refusal names its reason and the JSON
// path of the first problem, and is paired with an accepted twin that differs only in the offending part.
import { Node as PMNode } from '@tiptap/pm/model';
import { describe, expect, it } from 'vitest';
import { DOC_LIMITS, type DocJSON, isAllowedHref } from './extensions';
import { type DocProblemReason, editorSchema, validateDoc } from './validate';

// ---- builders -------------------------------------------------------------------------------------------

type Mark = NonNullable<DocJSON['marks']>[number];
const t = (text: string, ...marks: Mark[]): DocJSON =>
  marks.length ? { type: 'text', text, marks } : { type: 'text', text };
const p = (...c: DocJSON[]): DocJSON =>
  c.length ? { type: 'paragraph', content: c } : { type: 'paragraph' };
const h = (level: unknown, ...c: DocJSON[]): DocJSON => ({ type: 'heading', attrs: { level }, content: c });
const li = (...c: DocJSON[]): DocJSON => ({ type: 'listItem', content: c });
const ul = (...c: DocJSON[]): DocJSON => ({ type: 'bulletList', content: c });
const ol = (start: number, ...c: DocJSON[]): DocJSON => ({
  type: 'orderedList',
  attrs: { start, type: null },
  content: c,
});
const quote = (...c: DocJSON[]): DocJSON => ({ type: 'blockquote', content: c });
const fn = (text: unknown): DocJSON => ({ type: 'footnote', attrs: { text } as Record<string, unknown> });
const link = (href: unknown): Mark => ({ type: 'link', attrs: { href } as Record<string, unknown> });
const bold: Mark = { type: 'bold' };
const italic: Mark = { type: 'italic' };
const underline: Mark = { type: 'underline' };
const br: DocJSON = { type: 'hardBreak' };
const hr: DocJSON = { type: 'horizontalRule' };
const doc = (...c: DocJSON[]): DocJSON => ({ type: 'doc', content: c });

const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v)).length;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Every node object, the way validate.ts counts them (doc and text nodes included). */
function countNodes(n: DocJSON): number {
  return 1 + (n.content ?? []).reduce((s, c) => s + countNodes(c), 0);
}

function accepted(input: unknown): { doc: DocJSON; nodes: number } {
  const r = validateDoc(input);
  if (!r.ok) throw new Error(`expected acceptance, got ${JSON.stringify(r.problem)}`);
  return r;
}

function refused(input: unknown, byteLength?: number) {
  const r = validateDoc(input, byteLength);
  if (r.ok) throw new Error(`expected a refusal, got ${JSON.stringify(r.doc).slice(0, 200)}`);
  return r.problem;
}

/** Refused with exactly this reason and path, and the twin (same shape, offending part fixed) accepted. */
function refusedWithTwin(bad: unknown, good: unknown, reason: DocProblemReason, path: string) {
  const problem = refused(bad);
  expect({ reason: problem.reason, path: problem.path }).toEqual({ reason, path });
  accepted(good);
  return problem;
}

// ---- acceptance -----------------------------------------------------------------------------------------

const realistic = (): DocJSON =>
  doc(
    h(2, t('Joint statement on '), t('press freedom', italic)),
    p(
      t('We, the undersigned '),
      t('organizations', bold),
      t(', call on '),
      t('the government', bold, italic, underline),
      t(' to read the '),
      t('report', link('https://example.org/report?id=1&lang=en#p2')),
      t(' and the '),
      t('archive', link('http://example.org/archive')),
      fn('Published 2024-05-01, https://example.org/source.'),
      br,
      t('Contact: '),
      t('press@example.org', link('mailto:press@example.org')),
      t('.'),
    ),
    h(3, t('Demands')),
    ol(
      3,
      li(
        p(t('Release '), t('all', underline), t(' journalists.')),
        ul(li(p(t('in Yerevan'))), li(p(t('in Gyumri')), ol(1, li(p(t('deep')))))),
      ),
      li(p(t('Repeal the law.'))),
    ),
    ul(li(p(t('Բարև, աշխարհ — Привет, мир 😀')))),
    quote(p(t('"Freedom of expression" <is> a right & a duty.')), ul(li(p(t('quoted list'))))),
    hr,
    p(t('Signed,'), br, t('— the initiators')),
  );

describe('validateDoc accepts', () => {
  it('a realistic document, returned exactly as node.toJSON() (defaults filled in)', () => {
    const input = realistic();
    const r = accepted(input);
    const expected = PMNode.fromJSON(editorSchema(), input).toJSON();
    expect(r.doc).toStrictEqual(expected);
    // Nothing was dropped or changed: toJSON of the input is the input itself, key order aside.
    expect(r.doc).toEqual(input);
    expect(r.nodes).toBe(countNodes(input));
    expect(r.nodes).toBe(56);
    // Accepting the stored form again gives the same form (idempotent).
    expect(accepted(clone(r.doc)).doc).toStrictEqual(r.doc);
  });

  it('fills left-out attributes with their defaults and keeps everything else', () => {
    const input = doc({ type: 'orderedList', content: [li(p(t('x')))] }, p(fn('note')));
    const r = accepted(input);
    // (ProseMirror's attrs objects have no prototype: compare the JSON.)
    expect(clone(r.doc)).toStrictEqual({
      type: 'doc',
      content: [
        {
          type: 'orderedList',
          attrs: { start: 1, type: null },
          content: [
            { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x' }] }] },
          ],
        },
        { type: 'paragraph', content: [{ type: 'footnote', attrs: { text: 'note' } }] },
      ],
    });
    expect(r.nodes).toBe(7);
  });

  it('the link protocols allowed, in any case', () => {
    for (const href of [
      'https://example.org',
      'http://example.org/a?b=c#d',
      'mailto:a@example.org',
      'HTTPS://EXAMPLE.ORG/',
      'MailTo:x@example.org',
    ]) {
      expect(isAllowedHref(href)).toBe(true);
      expect(clone(accepted(doc(p(t('x', link(href))))).doc.content![0]!.content![0]!.marks)).toStrictEqual([
        { type: 'link', attrs: { href } },
      ]);
    }
  });

  it('marks in any order, stored in schema order', () => {
    const schemaOrder = Object.keys(editorSchema().marks);
    expect(schemaOrder).toEqual(['link', 'bold', 'italic', 'underline']);
    const a = accepted(doc(p(t('x', bold, link('https://example.org')))));
    const b = accepted(doc(p(t('x', link('https://example.org'), bold))));
    const stored = [{ type: 'link', attrs: { href: 'https://example.org' } }, { type: 'bold' }];
    expect(clone(a.doc.content![0]!.content![0]!.marks)).toStrictEqual(stored);
    expect(b.doc).toStrictEqual(a.doc);
    const all = accepted(doc(p(t('x', underline, italic, bold, link('mailto:a@example.org')))));
    expect(all.doc.content![0]!.content![0]!.marks!.map((m) => m.type)).toEqual(schemaOrder);
  });
});

// ---- refusals -------------------------------------------------------------------------------------------

const IN_TEXT = '$.content[0].content[0]';

describe('validateDoc refuses', () => {
  it('unknown node types', () => {
    for (const type of ['image', 'codeBlock', 'table', 'script', 'iframe', 'Paragraph', 'details']) {
      const problem = refusedWithTwin(
        doc({ type }),
        doc({ type: 'paragraph' }),
        'unknownNode',
        '$.content[0].type',
      );
      expect(problem.detail).toBe(type);
    }
    refusedWithTwin(
      doc(p({ type: 'image', attrs: { src: 'https://example.org/x.png' } })),
      doc(p(br)),
      'unknownNode',
      `${IN_TEXT}.type`,
    );
    refusedWithTwin(doc({ type: 5 } as unknown as DocJSON), doc(p()), 'unknownNode', '$.content[0].type');
    refusedWithTwin(doc({} as DocJSON), doc(p()), 'unknownNode', '$.content[0].type');
  });

  it('unknown mark types', () => {
    for (const type of ['strike', 'code', 'highlight', 'textStyle', 'subscript', 'Bold']) {
      const problem = refusedWithTwin(
        doc(p(t('x', { type }))),
        doc(p(t('x', bold))),
        'unknownMark',
        `${IN_TEXT}.marks[0].type`,
      );
      expect(problem.detail).toBe(type);
    }
    refusedWithTwin(
      doc(p(t('x', bold, { type: 'strike' }))),
      doc(p(t('x', bold, italic))),
      'unknownMark',
      `${IN_TEXT}.marks[1].type`,
    );
  });

  it('unknown attributes', () => {
    refusedWithTwin(
      doc({ type: 'paragraph', attrs: { onclick: 'alert(1)' } }),
      doc({ type: 'paragraph', attrs: {} }),
      'unknownAttribute',
      '$.content[0].attrs.onclick',
    );
    refusedWithTwin(
      doc({ type: 'heading', attrs: { level: 2, id: 'x' }, content: [t('x')] }),
      doc({ type: 'heading', attrs: { level: 2 }, content: [t('x')] }),
      'unknownAttribute',
      '$.content[0].attrs.id',
    );
    for (const extra of [{ target: '_blank' }, { class: 'evil' }, { rel: 'opener' }, { onclick: 'x' }]) {
      const key = Object.keys(extra)[0]!;
      refusedWithTwin(
        doc(p(t('x', { type: 'link', attrs: { href: 'https://example.org', ...extra } }))),
        doc(p(t('x', link('https://example.org')))),
        'unknownAttribute',
        `${IN_TEXT}.marks[0].attrs.${key}`,
      );
    }
    // The path names the mark as sent, whatever order the marks come in.
    refusedWithTwin(
      doc(p(t('x', { type: 'link', attrs: { href: 'https://example.org', target: '_blank' } }, bold))),
      doc(p(t('x', link('https://example.org'), bold))),
      'unknownAttribute',
      `${IN_TEXT}.marks[0].attrs.target`,
    );
    refusedWithTwin(
      doc(p(t('x', { type: 'bold', attrs: { style: 'x' } }))),
      doc(p(t('x', { type: 'bold', attrs: {} }))),
      'unknownAttribute',
      `${IN_TEXT}.marks[0].attrs.style`,
    );
  });

  it('attribute values the schema would keep unchecked (objects) or cannot store (NUL, lone surrogates)', () => {
    const list = (type: unknown): DocJSON => ({
      type: 'orderedList',
      attrs: { start: 2, type },
      content: [li(p())],
    });
    refusedWithTwin(doc(list({ x: 1 })), doc(list('a')), 'attributeChanged', '$.content[0].attrs.type');
    refusedWithTwin(doc(list(['1'])), doc(list(null)), 'attributeChanged', '$.content[0].attrs.type');
    const nul = refusedWithTwin(doc(list('a\u0000')), doc(list('a')), 'badText', '$.content[0].attrs.type');
    expect(nul.detail).toBe('errors.nulCharacter');
    refusedWithTwin(
      doc(p(t('x', link('https://example.org/\u0000')))),
      doc(p(t('x', link('https://example.org/')))),
      'badLink',
      `${IN_TEXT}.marks[0].attrs.href`,
    );
    refusedWithTwin(
      doc(p(t('x', link('https://example.org/\ud800')))),
      doc(p(t('x', link('https://example.org/\ud83d\ude00')))),
      'badLink',
      `${IN_TEXT}.marks[0].attrs.href`,
    );
    refusedWithTwin(
      doc({ type: 'orderedList', attrs: { start: 0, type: null }, content: [li(p())] }),
      doc({ type: 'orderedList', attrs: { start: 100_000, type: null }, content: [li(p())] }),
      'attributeChanged',
      '$.content[0].attrs.start',
    );
    refusedWithTwin(
      doc({ type: 'orderedList', attrs: { start: '2' }, content: [li(p())] }),
      doc(list(null)),
      'attributeChanged',
      '$.content[0].attrs.start',
    );
  });

  it('unknown keys on a node or a mark (also __proto__ from JSON.parse)', () => {
    refusedWithTwin(
      doc({ type: 'paragraph', style: 'color:red' } as DocJSON),
      doc(p()),
      'unknownKey',
      '$.content[0].style',
    );
    refusedWithTwin(
      doc({ type: 'paragraph', html: '<b>x</b>' } as DocJSON),
      doc(p()),
      'unknownKey',
      '$.content[0].html',
    );
    refusedWithTwin({ type: 'doc', content: [p()], version: 2 }, doc(p()), 'unknownKey', '$.version');
    refusedWithTwin(
      doc(p(t('x', { type: 'bold', href: 'x' } as Mark))),
      doc(p(t('x', bold))),
      'unknownKey',
      `${IN_TEXT}.marks[0].href`,
    );
    const proto: unknown = JSON.parse(
      '{"type":"doc","content":[{"type":"paragraph","__proto__":{"type":"x"}}]}',
    );
    refusedWithTwin(
      proto,
      JSON.parse('{"type":"doc","content":[{"type":"paragraph"}]}'),
      'unknownKey',
      '$.content[0].__proto__',
    );
  });

  it('links to javascript:, data:, vbscript: and relative or other addresses, however written', () => {
    const hostile = [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'JaVaScRiPt:alert(1)',
      'java\tscript:alert(1)',
      'java\nscript:alert(1)',
      'java\r\nscript:alert(1)',
      '   javascript:alert(1)',
      '\u0001javascript:alert(1)',
      'java\u0000script:alert(1)',
      'javascript\u200b:alert(1)',
      '\ufeffjavascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
      'vbscript:msgbox(1)',
      'VBScript:msgbox(1)',
      'file:///etc/passwd',
      'ftp://example.org',
      'tel:+37410000000',
      '/relative/path',
      '//evil.example/x',
      'evil.example',
      '#top',
      '?q=1',
      '',
      'https'.padEnd(2001, 'x'),
    ];
    for (const href of hostile) {
      const problem = refusedWithTwin(
        doc(p(t('x', link(href)))),
        doc(p(t('x', link('https://example.org')))),
        'badLink',
        `${IN_TEXT}.marks[0].attrs.href`,
      );
      expect(problem).toEqual({ path: `${IN_TEXT}.marks[0].attrs.href`, reason: 'badLink' });
    }
    for (const href of [42, null, undefined, { href: 'https://example.org' }]) {
      refusedWithTwin(
        doc(p(t('x', link(href)))),
        doc(p(t('x', link('https://example.org')))),
        'badLink',
        `${IN_TEXT}.marks[0].attrs.href`,
      );
    }
    refusedWithTwin(
      doc(p(t('x', { type: 'link' }))),
      doc(p(t('x', link('mailto:a@example.org')))),
      'badLink',
      `${IN_TEXT}.marks[0].attrs.href`,
    );
    // Deeper in the document, the path follows.
    refusedWithTwin(
      doc(p(t('a')), ul(li(p(t('b'), t('c', bold, link('javascript:x')))))),
      doc(p(t('a')), ul(li(p(t('b'), t('c', bold, link('https://x.example')))))),
      'badLink',
      '$.content[1].content[0].content[0].content[1].marks[1].attrs.href',
    );
  });

  it('heading levels other than 2 and 3 (also "2" as a string and a missing level)', () => {
    for (const level of [1, 4, 6, 7, 0, -2, 2.5, '2', '3', null, true]) {
      refusedWithTwin(
        doc(h(level, t('x'))),
        doc(h(2, t('x'))),
        'badHeadingLevel',
        '$.content[0].attrs.level',
      );
    }
    refusedWithTwin(
      doc({ type: 'heading', content: [t('x')] }),
      doc(h(3, t('x'))),
      'badHeadingLevel',
      '$.content[0].attrs.level',
    );
  });

  it('footnotes whose text is not a string, too long, or not storable', () => {
    const at = `${IN_TEXT}.attrs.text`;
    for (const text of [42, null, undefined, ['x'], { t: 'x' }, 'x'.repeat(2001), 'a\u0000b', '\udc00x']) {
      refusedWithTwin(doc(p(fn(text))), doc(p(fn('x'.repeat(2000)))), 'badFootnote', at);
    }
    expect(clone(accepted(doc(p(fn('')))).doc.content![0]!.content![0])).toStrictEqual({
      type: 'footnote',
      attrs: { text: '' },
    });
    refusedWithTwin(doc(p({ type: 'footnote' })), doc(p(fn('note'))), 'badFootnote', at);
  });

  it('empty text nodes, text with NUL or a lone surrogate, text on a non-text node', () => {
    const empty = refusedWithTwin(doc(p(t(''))), doc(p(t(' '))), 'invalidStructure', '$');
    expect(empty.detail).toBe('Empty text nodes are not allowed');
    const nul = refusedWithTwin(doc(p(t('a\u0000b'))), doc(p(t('a\u0001b'))), 'badText', `${IN_TEXT}.text`);
    expect(nul.detail).toBe('errors.nulCharacter');
    for (const s of ['\ud800', 'x\ud83d', '\ude00x', '\udc00\ud800']) {
      const lone = refusedWithTwin(doc(p(t(s))), doc(p(t('x\ud83d\ude00'))), 'badText', `${IN_TEXT}.text`);
      expect(lone.detail).toBe('errors.loneSurrogate');
    }
    refusedWithTwin(doc(p(t(5 as unknown as string))), doc(p(t('5'))), 'badText', `${IN_TEXT}.text`);
    refusedWithTwin(
      doc({ type: 'paragraph', text: 'x' } as DocJSON),
      doc(p(t('x'))),
      'badText',
      '$.content[0].text',
    );
    refusedWithTwin(doc(p({ type: 'text' })), doc(p(t('x'))), 'invalidStructure', '$');
  });

  it('wrong nesting', () => {
    const cases: [DocJSON, DocJSON][] = [
      [doc(li(p(t('x')))), doc(ul(li(p(t('x')))))],
      [doc(t('x')), doc(p(t('x')))],
      [doc(p(p(t('x')))), doc(p(t('x')))],
      [doc(ul(p(t('x')))), doc(ul(li(p(t('x')))))],
      [doc(ul()), doc(ul(li(p())))],
      [doc(ul(li(ul(li(p()))))), doc(ul(li(p(), ul(li(p())))))],
      [doc(quote()), doc(quote(p()))],
      [doc(p(hr)), doc(p(), hr)],
      [doc(p(doc(p()))), doc(p())],
      [doc(), doc(p())],
      [{ type: 'doc' }, doc(p())],
      [doc(h(2, p(t('x')))), doc(h(2, t('x')))],
    ];
    for (const [bad, good] of cases) {
      const problem = refusedWithTwin(bad, good, 'invalidStructure', '$');
      expect(problem.detail).toMatch(/^Invalid content for node \w+|Invalid text node in JSON|Invalid/);
    }
    // Adjacent text with the same marks is joined by the schema: refused, as it would not be kept as sent.
    refusedWithTwin(
      doc(p(t('a', bold), t('b', bold))),
      doc(p(t('ab', bold))),
      'invalidStructure',
      '$.content[0].content',
    );
    // A mark twice.
    refusedWithTwin(doc(p(t('a', bold, bold))), doc(p(t('a', bold))), 'invalidStructure', '$');
  });

  it('invalid JSON shapes', () => {
    const notAnObject: [unknown, string][] = [
      [null, '$'],
      [undefined, '$'],
      [[], '$'],
      [[doc(p())], '$'],
      ['doc', '$'],
      [42, '$'],
      [true, '$'],
      [{ type: 'paragraph' }, '$'],
      [{ content: [p()] }, '$'],
      [{ type: 'doc', content: 'x' }, '$.content'],
      [{ type: 'doc', content: { 0: p() } }, '$.content'],
      [{ type: 'doc', content: null }, '$.content'],
      [{ type: 'doc', content: [null] }, '$.content[0]'],
      [{ type: 'doc', content: [[p()]] }, '$.content[0]'],
      [{ type: 'doc', content: ['paragraph'] }, '$.content[0]'],
      [{ type: 'doc', content: [p(), { type: 'paragraph', content: [7] }] }, '$.content[1].content[0]'],
      [{ type: 'doc', content: [{ type: 'paragraph', attrs: null }] }, '$.content[0].attrs'],
      [{ type: 'doc', content: [{ type: 'paragraph', attrs: [] }] }, '$.content[0].attrs'],
      [
        { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: {} }] }] },
        `${IN_TEXT}.marks`,
      ],
      [
        {
          type: 'doc',
          content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: ['bold'] }] }],
        },
        `${IN_TEXT}.marks[0]`,
      ],
    ];
    for (const [input, path] of notAnObject) {
      expect(refused(input)).toEqual({ path, reason: 'notAnObject' });
    }
    accepted(doc(p()));
  });
});

// ---- limits ---------------------------------------------------------------------------------------------

/** A one-paragraph document whose JSON is exactly `size` bytes of UTF-8 (multi-byte text included). */
function docOfBytes(size: number): DocJSON {
  const prefix = 'Բարև — Привет 😀 ';
  const base = bytes(doc(p(t(prefix))));
  const d = doc(p(t(prefix + 'a'.repeat(size - base))));
  expect(bytes(d)).toBe(size);
  return d;
}

const nested = (levels: number, inner: DocJSON): DocJSON =>
  levels === 0 ? inner : quote(nested(levels - 1, inner));
const nestedLists = (pairs: number, inner: DocJSON): DocJSON =>
  pairs === 0 ? inner : ul(li(p(t('item')), nestedLists(pairs - 1, inner)));

describe('limits', () => {
  it(`size: exactly ${DOC_LIMITS.maxBytes} bytes accepted, one more refused as tooLarge (measured, or as given)`, () => {
    expect(DOC_LIMITS.maxBytes).toBe(512 * 1024);
    const atLimit = docOfBytes(DOC_LIMITS.maxBytes);
    expect(accepted(atLimit).doc).toStrictEqual(atLimit);
    expect(validateDoc(atLimit, DOC_LIMITS.maxBytes).ok).toBe(true);
    const over = docOfBytes(DOC_LIMITS.maxBytes + 1);
    expect(refused(over)).toEqual({ path: '$', reason: 'tooLarge', detail: String(512 * 1024) });
    expect(refused(over, DOC_LIMITS.maxBytes + 1)).toEqual({
      path: '$',
      reason: 'tooLarge',
      detail: '524288',
    });
    // The size the caller measured is trusted (the route measures the body as received).
    expect(refused(doc(p(t('small'))), DOC_LIMITS.maxBytes + 1).reason).toBe('tooLarge');
    expect(validateDoc(doc(p(t('small'))), DOC_LIMITS.maxBytes).ok).toBe(true);
    // Well under the limit in characters, over it in UTF-8 bytes (3 bytes each).
    const cjk = doc(p(t('語'.repeat(180_000))));
    expect(JSON.stringify(cjk).length).toBeLessThan(DOC_LIMITS.maxBytes);
    expect(refused(cjk).reason).toBe('tooLarge');
  });

  it(`nodes: ${DOC_LIMITS.maxNodes} accepted, one more refused as tooManyNodes`, () => {
    expect(DOC_LIMITS.maxNodes).toBe(20_000);
    // doc + one paragraph with text (2) + empty paragraphs = 20,000 node objects.
    const atLimit = doc(p(t('first')), ...Array.from({ length: 19_997 }, () => p()));
    expect(countNodes(atLimit)).toBe(20_000);
    const r = accepted(atLimit);
    expect(r.nodes).toBe(20_000);
    const over = doc(p(t('first')), ...Array.from({ length: 19_998 }, () => p()));
    expect(countNodes(over)).toBe(20_001);
    expect(refused(over)).toEqual({ path: '$.content[19998]', reason: 'tooManyNodes', detail: '20000' });
    // Text nodes count: the 20,001st node is a text node.
    const texts = doc(...Array.from({ length: 19_996 }, () => p()), p(t('a'), br, t('b')));
    expect(countNodes(texts)).toBe(20_001);
    expect(refused(texts)).toEqual({
      path: '$.content[19996].content[2]',
      reason: 'tooManyNodes',
      detail: '20000',
    });
    const texts2 = doc(...Array.from({ length: 19_995 }, () => p()), p(t('a'), br, t('b')));
    expect(accepted(texts2).nodes).toBe(20_000);
  });

  it(`depth: ${DOC_LIMITS.maxDepth} accepted, ${DOC_LIMITS.maxDepth + 1} refused as tooDeep (blockquotes, lists)`, () => {
    expect(DOC_LIMITS.maxDepth).toBe(12);
    // doc(1) > 9 blockquotes (2–10) > paragraph (11) > text (12)
    const quotes12 = doc(nested(9, p(t('deep'))));
    expect(accepted(quotes12).nodes).toBe(12);
    const quotes13 = doc(nested(10, p(t('deep'))));
    expect(refused(quotes13)).toEqual({
      path: '$' + '.content[0]'.repeat(12),
      reason: 'tooDeep',
      detail: '12',
    });
    // A leaf at depth 12 without text: doc(1) > 10 blockquotes (2–11) > empty paragraph (12).
    accepted(doc(nested(10, p())));
    // doc(1) > (bulletList > listItem) × 4 (2–9) > blockquote (10) > paragraph (11) > text (12)
    const lists12 = doc(nestedLists(4, quote(p(t('x')))));
    expect(accepted(lists12).doc).toEqual(lists12);
    expect(accepted(lists12).nodes).toBe(countNodes(lists12));
    // … one more blockquote puts the text at depth 13.
    const lists13 = doc(nestedLists(4, quote(quote(p(t('x'))))));
    expect(refused(lists13)).toEqual({
      path: '$.content[0]' + '.content[0].content[1]'.repeat(4) + '.content[0]'.repeat(3),
      reason: 'tooDeep',
      detail: '12',
    });
    expect(refused(lists13).path).toBe(
      '$.content[0].content[0].content[1].content[0].content[1].content[0].content[1].content[0].content[1].content[0].content[0].content[0]',
    );
    // A list item's own paragraph text at depth 13: (bulletList > listItem) × 5 puts the fifth item at 11.
    expect(refused(doc(nestedLists(5, p())))).toEqual({
      path: '$.content[0]' + '.content[0].content[1]'.repeat(4) + '.content[0].content[0].content[0]',
      reason: 'tooDeep',
      detail: '12',
    });
  });

  it('a 100,000-deep object is refused without a stack overflow (whether or not its size is given)', () => {
    const deepQuotes: DocJSON = doc();
    let cur = deepQuotes;
    for (let i = 0; i < 100_000; i++) {
      const n: DocJSON = { type: 'blockquote' };
      cur.content = [n];
      cur = n;
    }
    const expected = { path: '$' + '.content[0]'.repeat(12), reason: 'tooDeep', detail: '12' };
    expect(refused(deepQuotes)).toEqual(expected);
    expect(refused(deepQuotes, 1_000)).toEqual(expected);

    // Nested arrays, where a node should be.
    let arr: unknown = [];
    for (let i = 0; i < 100_000; i++) arr = [arr];
    expect(refused({ type: 'doc', content: [arr] })).toEqual({ path: '$.content[0]', reason: 'notAnObject' });

    // Nested objects hidden in an attribute the schema keeps as it is.
    const deepAttr: Record<string, unknown> = {};
    let o = deepAttr;
    for (let i = 0; i < 100_000; i++) {
      const n: Record<string, unknown> = {};
      o.a = n;
      o = n;
    }
    const list = { type: 'orderedList', attrs: { start: 1, type: deepAttr }, content: [li(p())] };
    expect(refused({ type: 'doc', content: [list] })).toEqual({
      path: '$.content[0].attrs.type',
      reason: 'attributeChanged',
    });
    expect(refused({ type: 'doc', content: [list] }, 100)).toEqual({
      path: '$.content[0].attrs.type',
      reason: 'attributeChanged',
    });
    // … and in a mark's attributes.
    const mark = { type: 'link', attrs: { href: 'https://example.org', title: deepAttr } };
    expect(
      refused({
        type: 'doc',
        content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [mark] }] }],
      }),
    ).toEqual({
      path: '$.content[0].content[0].marks[0].attrs.title',
      reason: 'attributeChanged',
    });
  });
});

describe('ordered list numbering style', () => {
  it('accepts the HTML styles and refuses anything else', () => {
    const list = (type: unknown): DocJSON => ({
      type: 'doc',
      content: [
        {
          type: 'orderedList',
          attrs: { start: 1, type },
          content: [{ type: 'listItem', content: [{ type: 'paragraph' }] }],
        },
      ],
    });
    for (const ok of ['1', 'a', 'A', 'i', 'I', null]) expect(validateDoc(list(ok)).ok).toBe(true);
    for (const bad of ['" onclick="x', 'disc', 'b']) {
      const r = validateDoc(list(bad));
      expect(r.ok ? null : r.problem).toEqual({
        path: '$.content[0].attrs.type',
        reason: 'attributeChanged',
      });
    }
  });
});
