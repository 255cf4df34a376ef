// Paste cleaning: real clipboard shapes from Word desktop, Google Docs and LibreOffice (paste-samples/),
// cleaned, then read by the editor's own schema the way ProseMirror reads a paste.
import fs from 'node:fs';
import path from 'node:path';
import { getSchema } from '@tiptap/core';
import { DOMParser as PMDOMParser } from '@tiptap/pm/model';
import { Window } from 'happy-dom';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { editorExtensions } from './extensions';
import { cleanPastedHtml } from './paste';
import { validateDoc } from './validate';

type J = {
  type: string;
  attrs?: Record<string, unknown>;
  content?: J[];
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  text?: string;
};

const window = new Window();
afterAll(() => window.happyDOM.close());

const parser = (html: string) =>
  new window.DOMParser().parseFromString(html, 'text/html') as unknown as Document;
const schema = getSchema(editorExtensions());
const pm = PMDOMParser.fromSchema(schema);

function clean(html: string): string {
  return cleanPastedHtml(html, parser);
}

function toDoc(html: string): J {
  const container = window.document.createElement('div');
  container.innerHTML = clean(html);
  return pm.parse(container as unknown as HTMLElement).toJSON() as J;
}

const sample = (name: string) =>
  fs.readFileSync(path.join(import.meta.dirname, 'paste-samples', name), 'utf8');

function all(node: J, pred: (n: J) => boolean, out: J[] = []): J[] {
  if (pred(node)) out.push(node);
  for (const c of node.content ?? []) all(c, pred, out);
  return out;
}
const text = (node: J): string => (node.text ?? '') + (node.content ?? []).map(text).join('');
const isList = (n: J) => n.type === 'bulletList' || n.type === 'orderedList';

type Shape = { type: string; items: { text: string; lists?: Shape[] }[] };
/** A list as its kind, item texts (own paragraphs only) and nested lists. */
function shape(list: J): Shape {
  return {
    type: list.type,
    items: (list.content ?? []).map((li) => {
      const own = (li.content ?? []).filter((c) => !isList(c));
      const lists = (li.content ?? []).filter(isList).map(shape);
      return { text: own.map(text).join('\n'), ...(lists.length ? { lists } : {}) };
    }),
  };
}

/** Texts of the text nodes carrying the mark. */
const marked = (doc: J, mark: string) =>
  all(doc, (n) => n.type === 'text' && !!n.marks?.some((m) => m.type === mark)).map((n) => n.text);
const links = (doc: J) =>
  all(doc, (n) => n.type === 'text' && !!n.marks?.some((m) => m.type === 'link')).map((n) => ({
    text: n.text,
    href: n.marks!.find((m) => m.type === 'link')!.attrs!.href,
  }));

/** Only the schema's own attributes, nothing of the source's look, and the server validator accepts it. */
function expectCleanDoc(doc: J) {
  for (const n of all(doc, () => true)) {
    const allowed = Object.keys(schema.nodes[n.type]!.spec.attrs ?? {});
    for (const k of Object.keys(n.attrs ?? {})) expect(allowed, `${n.type}.${k}`).toContain(k);
    for (const m of n.marks ?? []) {
      const allowedMark = Object.keys(schema.marks[m.type]!.spec.attrs ?? {});
      for (const k of Object.keys(m.attrs ?? {})) expect(allowedMark, `${m.type}.${k}`).toContain(k);
    }
  }
  const json = JSON.stringify(doc);
  for (const leftover of [
    'mso',
    'font-',
    'color',
    'style',
    'class',
    'lang',
    'Times New Roman',
    'Symbol',
    'docs-internal',
  ])
    expect(json).not.toContain(leftover);
  // Word's list markers and their padding must not reach the text.
  for (const li of all(doc, (n) => n.type === 'listItem')) {
    const t = text(li);
    expect(t).not.toMatch(/[·§•\u00a0\uf0b7\uf0a7]/);
    expect(t).not.toMatch(/^\s*(o|-|–|\d+[.)]|[a-z][.)])\s/);
  }
  expect(all(doc, (n) => n.type === 'paragraph' && !text(n).trim() && !n.content?.length)).toEqual([]);
  const v = validateDoc(doc);
  expect(v.ok, JSON.stringify(v)).toBe(true);
}

describe('Word desktop clipboard', () => {
  const html = sample('word-desktop.html');
  const doc = toDoc(html);

  it('keeps the structure: Heading 1 as level 2, paragraphs, a bulleted list with a nested item, a numbered list', () => {
    expect(doc.content!.map((n) => n.type)).toEqual([
      'heading',
      'paragraph',
      'bulletList',
      'paragraph',
      'orderedList',
    ]);
    expect(doc.content![0]).toMatchObject({ attrs: { level: 2 } });
    expect(text(doc.content![0]!)).toBe('Համատեղ հայտարարություն');
    expect(shape(doc.content![2]!)).toEqual({
      type: 'bulletList',
      items: [
        { text: 'Ազատ արտահայտվելու իրավունք' },
        {
          text: 'Freedom of assembly',
          lists: [{ type: 'bulletList', items: [{ text: 'Peaceful protests in Yerevan' }] }],
        },
        { text: 'Access to information' },
      ],
    });
    expect(shape(doc.content![4]!)).toEqual({
      type: 'orderedList',
      items: [{ text: 'An independent investigation' }, { text: 'The release of detained journalists' }],
    });
    expect(doc.content![4]!.attrs).toEqual({ start: 1, type: null });
  });

  it('keeps bold, italic, underline and the link, and only where they were', () => {
    expect(marked(doc, 'bold')).toEqual(['դատապարտում ենք']);
    expect(marked(doc, 'italic')).toEqual(['Access to information']);
    expect(marked(doc, 'underline')).toEqual(['The release of detained journalists']);
    expect(links(doc)).toEqual([
      {
        text: 'International Covenant',
        href: 'https://www.ohchr.org/en/instruments-mechanisms/instruments/international-covenant-civil-and-political-rights',
      },
    ]);
    expect(text(doc.content![1]!)).toBe(
      'Մենք՝ ստորագրող կազմակերպություններս, դատապարտում ենք լրագրողների նկատմամբ ճնշումները։ We call on the authorities to respect the International Covenant.',
    );
  });

  it('drops styles, fonts, colours, Office markup and the empty paragraphs', () => {
    expectCleanDoc(doc);
    const out = clean(html);
    for (const s of [
      'o:p',
      'style',
      'class=',
      'mso',
      '<!--',
      'supportLists',
      '&nbsp;',
      'Sylfaen',
      '#C00000',
      '<span',
      'xml',
    ])
      expect(out).not.toContain(s);
  });
});

describe('Google Docs clipboard', () => {
  const html = sample('google-docs.html');
  const doc = toDoc(html);

  it('unwraps the docs-internal-guid <b>: bold only where the author made it bold', () => {
    expect(marked(doc, 'bold')).toEqual(['դատապարտում ենք', '72 hours']);
    const plain = all(doc, (n) => n.type === 'text' && !n.marks?.length).map((n) => n.text);
    expect(plain).toContain('Մենք՝ ստորագրող կազմակերպություններս, ');
    expect(plain).toContain('Detention without charge');
    expect(marked(doc, 'italic')).toEqual(['three journalists']);
    expect(marked(doc, 'underline')).toEqual(['independent']); // not the link's own underline
    expect(links(doc)).toEqual([{ text: 'full report', href: 'https://example.org/report-2024' }]);
  });

  it('keeps headings (h1 and h2 → level 2), nested bulleted list and numbered list; <br> between paragraphs goes', () => {
    expect(doc.content!.map((n) => n.type)).toEqual([
      'heading',
      'paragraph',
      'heading',
      'bulletList',
      'paragraph',
      'orderedList',
    ]);
    expect(doc.content![0]).toMatchObject({ attrs: { level: 2 } });
    expect(doc.content![2]).toMatchObject({ attrs: { level: 2 } });
    expect(text(doc.content![0]!)).toBe('Совместное заявление');
    expect(shape(doc.content![3]!)).toEqual({
      type: 'bulletList',
      items: [
        {
          text: 'Detention without charge',
          lists: [{ type: 'bulletList', items: [{ text: 'for more than 72 hours' }] }],
        },
        { text: 'Pressure on independent media' },
      ],
    });
    expect(shape(doc.content![5]!)).toEqual({
      type: 'orderedList',
      items: [{ text: 'Immediate release' }, { text: 'A public apology' }],
    });
    expect(all(doc, (n) => n.type === 'hardBreak')).toEqual([]);
  });

  it('drops styles and attributes', () => {
    expectCleanDoc(doc);
    const out = clean(html);
    for (const s of ['style', 'dir=', 'aria-level', 'role=', 'docs-internal', '<span', '<b ', '<br', 'meta'])
      expect(out).not.toContain(s);
  });
});

describe('LibreOffice Writer clipboard', () => {
  const html = sample('libreoffice.html');
  const doc = toDoc(html);

  it('keeps heading, paragraphs, lists, marks and the link', () => {
    expect(doc.content!.map((n) => n.type)).toEqual([
      'heading',
      'paragraph',
      'paragraph',
      'orderedList',
      'bulletList',
    ]);
    expect(doc.content![0]).toMatchObject({ attrs: { level: 2 } });
    expect(text(doc.content![0]!)).toBe('Հայտարարություն');
    expect(shape(doc.content![3]!)).toEqual({
      type: 'orderedList',
      items: [{ text: 'отменить решение;' }, { text: 'провести общественные слушания.' }],
    });
    expect(shape(doc.content![4]!)).toEqual({
      type: 'bulletList',
      items: [{ text: 'Transparency' }, { text: 'Accountability' }],
    });
    expect(marked(doc, 'bold')).toEqual(['դատապարտում ենք']);
    expect(marked(doc, 'italic')).toEqual(['провести общественные слушания']);
    expect(marked(doc, 'underline')).toEqual(['Accountability']);
    expect(links(doc)).toEqual([{ text: 'government portal', href: 'https://example.am/decision/17' }]);
  });

  it('drops <font>, lang, classes and the blank paragraph', () => {
    expectCleanDoc(doc);
    const out = clean(html);
    for (const s of ['<font', 'face=', 'lang=', 'western', 'style', '#c9211e', '<br'])
      expect(out).not.toContain(s);
  });
});

describe('cleanPastedHtml: single shapes', () => {
  it('a javascript: link (in any spelling) becomes plain text; other refused schemes too', () => {
    for (const href of [
      'javascript:alert(1)',
      ' JaVa\tScRiPt:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      '/relative',
      '#_ftn1',
      'vbscript:x',
    ]) {
      const html = `<p>see <a href="${href.replace(/"/g, '&quot;')}">this</a></p>`;
      const out = clean(html);
      expect(out).toBe('<p>see this</p>');
      expect(toDoc(html)).toEqual({
        type: 'doc',
        content: [{ type: 'paragraph', content: [{ type: 'text', text: 'see this' }] }],
      });
    }
  });

  it('keeps http, https and mailto links with the href only', () => {
    const out = clean(
      '<p><a href="mailto:info@example.org" target="_blank" class="x" onclick="evil()">write</a> <a href="http://example.org" rel="x">site</a></p>',
    );
    expect(out).toBe(
      '<p><a href="mailto:info@example.org">write</a> <a href="http://example.org">site</a></p>',
    );
  });

  it("unwraps Google's redirect on links, and Word bookmarks", () => {
    expect(
      clean(
        '<p><a href="https://www.google.com/url?q=https://example.org/a%3Fb%3D1&amp;sa=D&amp;ust=1">x</a></p>',
      ),
    ).toBe('<p><a href="https://example.org/a?b=1">x</a></p>');
    expect(clean('<h1><a name="_Toc1234"></a><a name="_Hlk99">Title</a></h1>')).toBe('<h2>Title</h2>');
  });

  it('maps heading levels onto 2 and 3', () => {
    const doc = toDoc('<h1>a</h1><h2>b</h2><h3>c</h3><h4>d</h4><h5>e</h5><h6>f</h6>');
    expect(doc.content!.map((n) => [n.type, n.attrs?.level, text(n)])).toEqual([
      ['heading', 2, 'a'],
      ['heading', 2, 'b'],
      ['heading', 3, 'c'],
      ['heading', 3, 'd'],
      ['heading', 3, 'e'],
      ['heading', 3, 'f'],
    ]);
    expect(clean('<h4 style="color:red">d</h4>')).toBe('<h3>d</h3>');
  });

  it('drops images (with their handlers), scripts, styles, iframes and objects', () => {
    expect(clean('<p>a<img src="x" onerror="alert(1)">b</p>')).toBe('<p>ab</p>');
    expect(clean('<script>alert(1)</script><p>ok</p><style>p{color:red}</style>')).toBe('<p>ok</p>');
    expect(
      clean(
        '<p>x</p><iframe src="https://evil.example"></iframe><object data="y"></object><embed src="z"><svg><script>1</script></svg>',
      ),
    ).toBe('<p>x</p>');
    expect(clean('<p onclick="alert(1)" onmouseover="x">t</p>')).toBe('<p>t</p>');
    const doc = toDoc('<p>a<img src="x" onerror="alert(1)">b</p><script>alert(1)</script>');
    expect(doc).toEqual({
      type: 'doc',
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'ab' }] }],
    });
  });

  it('reads bold/italic/underline from CSS, but not from mso-bidi or normal weights', () => {
    expect(
      clean(
        '<p><span style="font-weight:bold">a</span><span style="font-weight: 600">b</span><span style="font-weight:500">c</span></p>',
      ),
    ).toBe('<p><strong>a</strong><strong>b</strong>c</p>');
    expect(clean("<p><span style='mso-bidi-font-weight:bold;mso-bidi-font-style:italic'>x</span></p>")).toBe(
      '<p>x</p>',
    );
    expect(clean('<p><span style="font-style:italic;text-decoration:underline">x</span></p>')).toBe(
      '<p><em><u>x</u></em></p>',
    );
    expect(
      clean('<p><b style="font-weight:normal">x</b><b>y</b><i style="font-style:normal">z</i></p>'),
    ).toBe('<p>x<strong>y</strong>z</p>');
  });

  it('removes non-breaking-space paragraphs and <o:p>', () => {
    expect(
      clean(
        '<p class=MsoNormal>&nbsp;</p><p class=MsoNormal><o:p>&nbsp;</o:p></p><p>x<o:p></o:p></p><p><br></p>',
      ),
    ).toBe('<p>x</p>');
  });

  it('turns tables into paragraphs with the cell text', () => {
    const out = clean(
      '<table class=MsoTableGrid border=1><colgroup><col width=100></colgroup><tr><td width=200 style="border:solid"><p class=MsoNormal>A1</p></td><td>B1</td></tr><tr><th>A2</th><td><b>B2</b></td></tr></table>',
    );
    expect(out).toBe('<p>A1</p><p>B1</p><p>A2</p><p><strong>B2</strong></p>');
  });

  it('Word lists in <!--[if !supportLists]--> comments, on MsoNormal paragraphs, lettered and continued numbering', () => {
    const html = `
<p class=MsoNormal style='mso-list:l2 level1 lfo3'><!--[if !supportLists]--><span>a)<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span><!--[endif]-->первый</p>
<p class=MsoNormal style='mso-list:l2 level1 lfo3'><!--[if !supportLists]--><span>b)<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span><!--[endif]-->второй</p>
<p class=MsoNormal>between</p>
<p class=MsoListParagraph style='mso-list:l1 level1 lfo2'><span style='mso-list:Ignore'>3.<span style='font:7.0pt "Times New Roman"'>&nbsp; </span></span>third</p>
<p class=MsoListParagraph style='mso-list:l1 level1 lfo2'><span style='mso-list:Ignore'>4.<span style='font:7.0pt "Times New Roman"'>&nbsp; </span></span>fourth</p>`;
    expect(clean(html).replace(/\s+</g, '<')).toBe(
      '<ol type="a"><li><p>первый</p></li><li><p>второй</p></li></ol><p>between</p><ol start="3"><li><p>third</p></li><li><p>fourth</p></li></ol>',
    );
    const doc = toDoc(html);
    expect(doc.content!.map((n) => [n.type, n.attrs])).toEqual([
      ['orderedList', { start: 1, type: 'a' }],
      ['paragraph', undefined],
      ['orderedList', { start: 3, type: null }],
    ]);
    expectCleanDoc(doc);
  });

  it('Word: a bullet list directly followed by a numbered one, a level-2 numbered list, and a continuation paragraph', () => {
    const bullet = (t: string, cls = 'MsoListParagraphCxSpMiddle') =>
      `<p class=${cls} style='mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>·<span>&nbsp;&nbsp;</span></span></span><![endif]>${t}</p>`;
    const html = [
      bullet('one', 'MsoListParagraphCxSpFirst'),
      `<p class=MsoListParagraphCxSpMiddle style='margin-left:1.0in;mso-list:l0 level2 lfo1'><![if !supportLists]><span><span style='mso-list:Ignore'>i.<span>&nbsp;</span></span></span><![endif]>roman</p>`,
      `<p class=MsoListParagraphCxSpMiddle>more of one</p>`,
      bullet('two', 'MsoListParagraphCxSpLast'),
      `<p class=MsoListParagraph style='mso-list:l1 level1 lfo2'><![if !supportLists]><span><span style='mso-list:Ignore'>1.<span>&nbsp;</span></span></span><![endif]>numbered</p>`,
    ].join('\n');
    const doc = toDoc(html);
    expect(doc.content!.map(shape)).toEqual([
      {
        type: 'bulletList',
        items: [
          { text: 'one', lists: [{ type: 'orderedList', items: [{ text: 'roman\nmore of one' }] }] },
          { text: 'two' },
        ],
      },
      { type: 'orderedList', items: [{ text: 'numbered' }] },
    ]);
    expectCleanDoc(doc);
  });

  it('Word footnotes become footnote atoms with their text; the notes list goes', () => {
    const html = `<p class=MsoNormal>Claim<a style='mso-footnote-id:ftn1' href="#_ftn1" name="_ftnref1" title=""><span class=MsoFootnoteReference><span style='mso-special-character:footnote'><![if !supportFootnotes]><span class=MsoFootnoteReference>[1]</span><![endif]></span></span></a> made.<o:p></o:p></p>
<div style='mso-element:footnote-list'><![if !supportFootnotes]><br clear=all><hr align=left size=1 width="33%"><![endif]>
<div style='mso-element:footnote' id=ftn1><p class=MsoFootnoteText><a style='mso-footnote-id:ftn1' href="#_ftnref1" name="_ftn1" title=""><span class=MsoFootnoteReference><span style='mso-special-character:footnote'><![if !supportFootnotes]><span class=MsoFootnoteReference>[1]</span><![endif]></span></span></a> UN report,
2023.<o:p></o:p></p></div></div>`;
    const doc = toDoc(html);
    expect(doc).toEqual({
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'Claim' },
            { type: 'footnote', attrs: { text: 'UN report, 2023.' } },
            { type: 'text', text: ' made.' },
          ],
        },
      ],
    });
  });

  it("keeps this editor's own copy: footnotes and the slice marker", () => {
    const html =
      '<p data-pm-slice="1 1 []">a<sup data-footnote="note" class="footnote-ref" title="note"></sup> <strong>b</strong></p>';
    expect(clean(html)).toBe(
      '<p data-pm-slice="1 1 []">a<sup data-footnote="note"></sup> <strong>b</strong></p>',
    );
  });

  it('Google Docs-style flat items with aria-level are nested', () => {
    const html =
      '<ul><li aria-level="1"><p>a</p></li><li aria-level="2"><p>b</p></li><li aria-level="1"><p>c</p></li></ul>';
    expect(shape(toDoc(html).content![0]!)).toEqual({
      type: 'bulletList',
      items: [{ text: 'a', lists: [{ type: 'bulletList', items: [{ text: 'b' }] }] }, { text: 'c' }],
    });
  });

  it('hidden text does not paste; line breaks inside a paragraph stay, those between paragraphs go', () => {
    expect(clean("<p>a<span style='display:none;mso-hide:all'>secret</span>b<br>c</p>")).toBe(
      '<p>ab<br>c</p>',
    );
    expect(clean('<p>a</p><br><br /><p>b<br></p><br>')).toBe('<p>a</p><p>b</p>');
    expect(clean('<pre>line 1\n  line 2\n</pre>')).toBe('<p>line 1<br>  line 2</p>');
  });

  it('uses the global DOMParser by default', () => {
    vi.stubGlobal('DOMParser', window.DOMParser);
    try {
      expect(cleanPastedHtml('<h5 class="x"><font color="red">t</font></h5>')).toBe('<h3>t</h3>');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
