// The reading renderer (stored document JSON → HTML, SECURITY.md I9): exact output for every node and mark,
// footnotes numbered at the end with links back and forth, the XSS corpus in text, footnotes and link addresses,
// property-based documents (hostile ones included) checked in a DOM, and render stability: rendering is
// deterministic and HTML → ProseMirror → HTML is a fixed point for documents without footnotes.
import { DOMParser as PMDOMParser } from '@tiptap/pm/model';
import fc from 'fast-check';
import { Window } from 'happy-dom';
import { afterAll, describe, expect, it } from 'vitest';
import { XSS_PAYLOADS } from '../testing/xss-corpus';
import { type DocJSON, isAllowedHref, normalizedHref } from './extensions';
import { escapeHtml, linkifyText, renderDoc } from './render';
import { editorSchema, validateDoc } from './validate';

// ---- builders -------------------------------------------------------------------------------------------

type Mark = NonNullable<DocJSON['marks']>[number];
const t = (text: string, ...marks: Mark[]): DocJSON =>
  marks.length ? { type: 'text', text, marks } : { type: 'text', text };
const p = (...c: DocJSON[]): DocJSON =>
  c.length ? { type: 'paragraph', content: c } : { type: 'paragraph' };
const h = (level: number, ...c: DocJSON[]): DocJSON => ({ type: 'heading', attrs: { level }, content: c });
const li = (...c: DocJSON[]): DocJSON => ({ type: 'listItem', content: c });
const ul = (...c: DocJSON[]): DocJSON => ({ type: 'bulletList', content: c });
const ol = (start: number, ...c: DocJSON[]): DocJSON => ({
  type: 'orderedList',
  attrs: { start, type: null },
  content: c,
});
const quote = (...c: DocJSON[]): DocJSON => ({ type: 'blockquote', content: c });
const fn = (text: string): DocJSON => ({ type: 'footnote', attrs: { text } });
const link = (href: string): Mark => ({ type: 'link', attrs: { href } });
const bold: Mark = { type: 'bold' };
const italic: Mark = { type: 'italic' };
const underline: Mark = { type: 'underline' };
const br: DocJSON = { type: 'hardBreak' };
const hr: DocJSON = { type: 'horizontalRule' };
const doc = (...c: DocJSON[]): DocJSON => ({ type: 'doc', content: c });

function valid(d: unknown): DocJSON {
  const r = validateDoc(d);
  if (!r.ok) throw new Error(`document refused: ${JSON.stringify(r.problem)}`);
  return r.doc;
}
const html = (d: DocJSON, opts?: Parameters<typeof renderDoc>[1]) => renderDoc(valid(d), opts).html;

// ---- the DOM checks -------------------------------------------------------------------------------------

const window = new Window({
  settings: {
    disableJavaScriptEvaluation: true,
    disableJavaScriptFileLoading: true,
    disableCSSFileLoading: true,
    disableIframePageLoading: true,
  },
});
afterAll(async () => {
  await window.happyDOM.close();
});
const document = window.document;

function parseHtml(s: string) {
  const root = document.createElement('div');
  root.innerHTML = s;
  return root;
}

const ALLOWED_TAGS = new Set([
  'p',
  'h2',
  'h3',
  'ul',
  'ol',
  'li',
  'blockquote',
  'hr',
  'br',
  'strong',
  'em',
  'u',
  'a',
  'sup',
  'section',
]);
const FORBIDDEN_TAGS = [
  'script',
  'iframe',
  'img',
  'svg',
  'style',
  'math',
  'object',
  'embed',
  'base',
  'meta',
  'link',
  'form',
  'details',
  'body',
  'textarea',
  'title',
];
const ALLOWED_ATTRS = new Set([
  'href',
  'rel',
  'id',
  'class',
  'aria-describedby',
  'aria-labelledby',
  'aria-label',
  'start',
  'type',
]);

/** What a browser ignores before a URL's scheme: leading C0 controls and spaces, ASCII tab and newline anywhere. */
const browserView = (href: string) => href.replace(/^[\u0000-\u0020]+/, '').replace(/[\t\n\r]/g, '');

/** Every reason the HTML is unsafe (empty = safe): parsed in a DOM, plus textual checks on the tags themselves. */
function domProblems(out: string): string[] {
  const problems: string[] = [];
  const root = parseHtml(out);
  for (const tag of FORBIDDEN_TAGS) if (root.querySelector(tag)) problems.push(`<${tag}> element`);
  for (const el of root.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    if (!ALLOWED_TAGS.has(tag)) problems.push(`unexpected <${tag}>`);
    for (let i = 0; i < el.attributes.length; i++) {
      const name = el.attributes[i]!.name.toLowerCase();
      if (name.startsWith('on')) problems.push(`event handler attribute ${name} on <${tag}>`);
      if (!ALLOWED_ATTRS.has(name)) problems.push(`unexpected attribute ${name} on <${tag}>`);
    }
    if (tag === 'a') {
      const href = el.getAttribute('href');
      if (href === null) problems.push('<a> without href');
      else if (!/^#[a-z0-9-]+$/i.test(href)) {
        if (/^(javascript|data|vbscript):/i.test(browserView(href)))
          problems.push(`dangerous href ${JSON.stringify(href)}`);
        if (!/^(https?:\/\/|mailto:)/i.test(href))
          problems.push(`href not http/https/mailto: ${JSON.stringify(href)}`);
      }
    }
  }
  // Textual: every `<` outside a tag is escaped, so each `<…>` match is a real tag.
  if (/<\s*script/i.test(out)) problems.push('<script in the HTML');
  for (const tag of out.match(/<[^>]*>/g) ?? [])
    if (/[\s/"']on\w+\s*=/i.test(tag)) problems.push(`on…= in tag ${tag.slice(0, 80)}`);
  return problems;
}

// ---- exact output ---------------------------------------------------------------------------------------

describe('renderDoc: exact HTML', () => {
  it('every node and mark', () => {
    const d = doc(
      h(2, t('Title & "more"')),
      h(3, t('Sub')),
      p(
        t('b', bold),
        t('i', italic),
        t('u', underline),
        t('l', link('https://example.org/?a=1&b="2"'), bold),
        br,
        t("it's <x>"),
      ),
      ul(li(p(t('one')), ol(1, li(p(t('two')))))),
      ol(3, li(p(t('three')))),
      quote(p(t('q')), p()),
      hr,
      p(t('mail', link('mailto:a@example.org')), fn('A note.')),
    );
    const r = renderDoc(valid(d));
    expect(r.html).toBe(
      '<h2>Title &amp; &quot;more&quot;</h2>' +
        '<h3>Sub</h3>' +
        '<p><strong>b</strong><em>i</em><u>u</u><strong><a href="https://example.org/?a=1&amp;b=&quot;2&quot;" rel="noopener noreferrer nofollow ugc">l</a></strong><br>it&#39;s &lt;x&gt;</p>' +
        '<ul><li><p>one</p><ol><li><p>two</p></li></ol></li></ul>' +
        '<ol start="3"><li><p>three</p></li></ol>' +
        '<blockquote><p>q</p><p></p></blockquote>' +
        '<hr>' +
        '<p><a href="mailto:a@example.org" rel="noopener noreferrer nofollow ugc">mail</a><sup class="footnote-ref"><a href="#fn-1" id="fnref-1" aria-describedby="fn-label">1</a></sup></p>' +
        '<section class="footnotes" aria-labelledby="fn-label"><h2 id="fn-label" class="footnotes-label">Notes</h2><ol>' +
        '<li id="fn-1">A note. <a href="#fnref-1" class="footnote-back" aria-label="Back to text 1">↩</a></li>' +
        '</ol></section>',
    );
    expect(r.notes).toEqual(['A note.']);
    expect(domProblems(r.html)).toEqual([]);
  });

  it('all marks on one text nest in schema order (link innermost), whatever order they were sent in', () => {
    const expected =
      '<p><u><em><strong><a href="https://example.org" rel="noopener noreferrer nofollow ugc">x</a></strong></em></u></p>';
    expect(html(doc(p(t('x', underline, link('https://example.org'), italic, bold))))).toBe(expected);
    expect(html(doc(p(t('x', link('https://example.org'), bold, italic, underline))))).toBe(expected);
  });

  it('an empty document and a document without footnotes have no notes section', () => {
    expect(renderDoc(valid(doc(p())))).toEqual({ html: '<p></p>', notes: [] });
    expect(renderDoc(valid(doc(p(t('plain')))))).toEqual({ html: '<p>plain</p>', notes: [] });
  });

  it('links are written only for allowed protocols, with the normalized address (also for unvalidated input)', () => {
    // Stored documents are validated; the renderer re-checks anyway.
    expect(renderDoc(doc(p(t('x', link('javascript:alert(1)'))))).html).toBe('<p>x</p>');
    expect(renderDoc(doc(p(t('x', link(' JaVa\tScRiPt:alert(1)'))))).html).toBe('<p>x</p>');
    expect(renderDoc(doc(p(t('x', link('data:text/html,<b>'))))).html).toBe('<p>x</p>');
    expect(renderDoc(doc(p(t('x', { type: 'link' })))).html).toBe('<p>x</p>');
    expect(html(doc(p(t('x', link('  https://example.org/a b')))))).toBe(
      '<p><a href="https://example.org/ab" rel="noopener noreferrer nofollow ugc">x</a></p>',
    );
    expect(html(doc(p(t('x', link('HTTPS://EXAMPLE.ORG/"><script>alert(1)</script>')))))).toBe(
      '<p><a href="HTTPS://EXAMPLE.ORG/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" rel="noopener noreferrer nofollow ugc">x</a></p>',
    );
  });

  it('ordered list attributes: start only above 1, type only from the closed list (also for unvalidated input)', () => {
    const list = (attrs: Record<string, unknown>) =>
      renderDoc({ type: 'doc', content: [{ type: 'orderedList', attrs, content: [li(p(t('x')))] }] }).html;
    expect(list({ start: 1, type: null })).toBe('<ol><li><p>x</p></li></ol>');
    expect(list({ start: 7, type: 'a' })).toBe('<ol start="7" type="a"><li><p>x</p></li></ol>');
    expect(list({ start: '7" onclick="x', type: '" onclick="x' })).toBe('<ol><li><p>x</p></li></ol>');
    expect(list({ start: 2.5, type: 'aa' })).toBe('<ol><li><p>x</p></li></ol>');
    expect(
      renderDoc({
        type: 'doc',
        content: [{ type: 'heading', attrs: { level: '1 onclick=x' }, content: [t('x')] }],
      }).html,
    ).toBe('<h2>x</h2>');
  });
});

describe('footnotes', () => {
  const three = () =>
    doc(
      h(2, t('Heading'), fn('first')),
      p(t('Body'), fn('second <b>'), t(' more')),
      ul(li(p(t('item'), fn('third https://example.org/src?a=1&b=2.')))),
    );

  it('are numbered in document order, listed at the end with links back and forth', () => {
    const r = renderDoc(valid(three()));
    expect(r.notes).toEqual(['first', 'second <b>', 'third https://example.org/src?a=1&b=2.']);
    const ref = (n: number) =>
      `<sup class="footnote-ref"><a href="#fn-${n}" id="fnref-${n}" aria-describedby="fn-label">${n}</a></sup>`;
    const back = (n: number) =>
      ` <a href="#fnref-${n}" class="footnote-back" aria-label="Back to text ${n}">↩</a>`;
    expect(r.html).toBe(
      `<h2>Heading${ref(1)}</h2><p>Body${ref(2)} more</p><ul><li><p>item${ref(3)}</p></li></ul>` +
        '<section class="footnotes" aria-labelledby="fn-label"><h2 id="fn-label" class="footnotes-label">Notes</h2><ol>' +
        `<li id="fn-1">first${back(1)}</li>` +
        `<li id="fn-2">second &lt;b&gt;${back(2)}</li>` +
        `<li id="fn-3">third <a href="https://example.org/src?a=1&amp;b=2" rel="noopener noreferrer nofollow ugc">https://example.org/src?a=1&amp;b=2</a>.${back(3)}</li>` +
        '</ol></section>',
    );
    // Every reference points at an existing note and every note back at its reference.
    const root = parseHtml(r.html);
    for (let n = 1; n <= 3; n++) {
      const refA = root.querySelector(`#fnref-${n}`)!;
      expect(refA.getAttribute('href')).toBe(`#fn-${n}`);
      expect(root.querySelector(`#fn-${n}`)!.querySelector('.footnote-back')!.getAttribute('href')).toBe(
        `#fnref-${n}`,
      );
    }
    expect(root.querySelectorAll('[id]').length).toBe(7);
    expect(domProblems(r.html)).toEqual([]);
  });

  it('idPrefix keeps two documents on one page apart (sanitized), labels are escaped', () => {
    const a = renderDoc(valid(three()), {
      idPrefix: 'left',
      notesLabel: 'Ծանոթագրություններ <i>',
      backLabel: 'Назад "к тексту"',
    }).html;
    expect(a).toContain('<a href="#left-1" id="leftref-1" aria-describedby="left-label">1</a>');
    expect(a).toContain(
      '<section class="footnotes" aria-labelledby="left-label"><h2 id="left-label" class="footnotes-label">Ծանոթագրություններ &lt;i&gt;</h2>',
    );
    expect(a).toContain('<li id="left-3">');
    expect(a).toContain(
      '<a href="#leftref-2" class="footnote-back" aria-label="Назад &quot;к тексту&quot; 2">↩</a>',
    );
    expect(a).not.toMatch(/"#?fn/);
    const b = renderDoc(valid(three()), { idPrefix: 'right' }).html;
    const ids = (s: string) => Array.from(parseHtml(s).querySelectorAll('[id]')).map((e) => e.id);
    const idsA = ids(a);
    expect(idsA).toEqual(['leftref-1', 'leftref-2', 'leftref-3', 'left-label', 'left-1', 'left-2', 'left-3']);
    expect(ids(b).filter((id) => idsA.includes(id))).toEqual([]);
    // Anything but letters, digits and dashes is dropped from the prefix.
    const evil = renderDoc(valid(three()), { idPrefix: 'x" onclick="alert(1)' }).html;
    expect(evil).toContain('<a href="#xonclickalert1-1" id="xonclickalert1ref-1"');
    expect(domProblems(evil)).toEqual([]);
  });

  it('rendering twice numbers from 1 again (no state kept between renders)', () => {
    const d = valid(three());
    const first = renderDoc(d);
    const second = renderDoc(d);
    expect(second).toEqual(first);
    expect(second.notes).toHaveLength(3);
  });
});

describe('linkifyText and escapeHtml', () => {
  it('escapes the five characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });
  it('links http(s) URLs only, trailing punctuation and quotes excluded, everything escaped', () => {
    const a = (u: string) => `<a href="${u}" rel="noopener noreferrer nofollow ugc">${u}</a>`;
    expect(linkifyText('See https://example.org/a, then (http://x.example/b).')).toBe(
      `See ${a('https://example.org/a')}, then (${a('http://x.example/b')}).`,
    );
    expect(linkifyText('https://x.example/"onmouseover="alert(1)')).toBe(
      `${a('https://x.example/')}&quot;onmouseover=&quot;alert(1)`,
    );
    expect(linkifyText("https://x.example/'><script>x</script>")).toBe(
      `${a('https://x.example/')}&#39;&gt;&lt;script&gt;x&lt;/script&gt;`,
    );
    expect(linkifyText('javascript:alert(1) mailto:a@b.example ftp://x.example')).toBe(
      'javascript:alert(1) mailto:a@b.example ftp://x.example',
    );
    expect(linkifyText('<b>no url</b>')).toBe('&lt;b&gt;no url&lt;/b&gt;');
  });
});

// ---- the XSS corpus -------------------------------------------------------------------------------------

describe('the XSS corpus', () => {
  it('corpus sanity: the payloads are what the checks look for', () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(30);
    // The checks would catch each markup payload if it were written unescaped.
    expect(domProblems(XSS_PAYLOADS.find((x) => x.id === 'img')!.value)).toEqual(
      expect.arrayContaining(['<img> element', 'event handler attribute onerror on <img>']),
    );
    expect(domProblems(XSS_PAYLOADS.find((x) => x.id === 'script')!.value)).toContain('<script> element');
    expect(domProblems(XSS_PAYLOADS.find((x) => x.id === 'a-js')!.value)).toContain(
      'dangerous href "javascript:__xssHit(\'a-js\')"',
    );
    expect(domProblems('<a href=" java\tscript:x">x</a>')).toContain('dangerous href " java\\tscript:x"');
  });

  for (const payload of XSS_PAYLOADS) {
    describe(payload.id, () => {
      it('in text (heading, paragraph with marks, list, blockquote): escaped, shown exactly', () => {
        const d = doc(
          h(2, t(payload.value)),
          p(t(payload.value, bold, link('https://example.org'))),
          ul(li(p(t(payload.value)))),
          quote(p(t(payload.value))),
        );
        const out = html(d);
        expect(domProblems(out)).toEqual([]);
        const root = parseHtml(out);
        expect(root.querySelector('h2')!.textContent).toBe(payload.value);
        expect(root.querySelector('p')!.textContent).toBe(payload.value);
        expect(root.querySelector('li')!.textContent).toBe(payload.value);
        expect(root.querySelector('blockquote')!.textContent).toBe(payload.value);
        expect(root.querySelectorAll('a').length).toBe(1);
      });

      it('in footnote text: escaped, shown exactly (too long for a note: refused by the validator, still escaped)', () => {
        const d = doc(p(t('x'), fn(payload.value)));
        const v = validateDoc(d);
        if (payload.value.length > 2000) {
          expect(v).toEqual({
            ok: false,
            problem: { path: '$.content[0].content[1].attrs.text', reason: 'badFootnote' },
          });
        } else {
          expect(v.ok).toBe(true);
        }
        const out = renderDoc(v.ok ? v.doc : d).html;
        expect(domProblems(out)).toEqual([]);
        const note = parseHtml(out).querySelector('#fn-1')!;
        expect(note.textContent).toBe(`${payload.value} ↩`);
        for (const a of note.querySelectorAll('a:not(.footnote-back)'))
          expect(a.getAttribute('href')).toMatch(/^https?:\/\//);
      });

      it('as a link address: refused by the validator, and not written as a link by the renderer', () => {
        const d = doc(p(t('click', link(payload.value))));
        expect(validateDoc(d)).toEqual({
          ok: false,
          problem: { path: '$.content[0].content[0].marks[0].attrs.href', reason: 'badLink' },
        });
        const out = renderDoc(d).html;
        expect(out).toBe('<p>click</p>');
        expect(domProblems(out)).toEqual([]);
      });

      it('inside an allowed link address: escaped in the attribute, the address kept as normalized', () => {
        for (const href of [
          `https://example.org/?q=${payload.value}`,
          `mailto:a@example.org?body=${payload.value}`,
        ]) {
          const d = doc(p(t('click', link(href))));
          const v = validateDoc(d);
          if (href.length > 2000) {
            expect(v.ok).toBe(false);
            continue;
          }
          expect(v.ok).toBe(true);
          const out = renderDoc(v.ok ? v.doc : d).html;
          expect(domProblems(out)).toEqual([]);
          const anchors = parseHtml(out).querySelectorAll('a');
          expect(anchors.length).toBe(1);
          expect(anchors[0]!.getAttribute('href')).toBe(normalizedHref(href));
          expect(anchors[0]!.textContent).toBe('click');
        }
      });
    });
  }
});

// ---- property-based -------------------------------------------------------------------------------------

const HOSTILE_HREFS = [
  ...XSS_PAYLOADS.filter((x) => !x.bodyOnly).map((x) => x.value),
  'javascript:alert(1)',
  ' \tJaVaScRiPt:alert(1)',
  'java\nscript:alert(1)',
  'java\u0000script:alert(1)',
  '\u0001javascript:alert(1)',
  'javascript\u200b:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  '//evil.example',
  '/relative',
  '#fn-1',
  'https://example.org/\u0000',
];
const TRICKY_ALLOWED_HREFS = [
  'https://example.org/"><script>alert(1)</script>',
  "https://example.org/' onmouseover='alert(1)",
  'HTTPS://EXAMPLE.ORG',
  '  https://example.org/lead',
  'https://exa mple.org/\u200bspace',
  'mailto:a@example.org?subject=<x>&body="y"',
  'http://example.org/&amp;&lt;',
];

const safeHref = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.emailAddress().map((e) => `mailto:${e}`),
  fc.string({ maxLength: 30 }).map((s) => `https://example.org/${s}`),
  fc.constantFrom(...TRICKY_ALLOWED_HREFS),
);
const anyHref = fc.oneof(
  { weight: 5, arbitrary: safeHref },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_HREFS) },
);

const SPECIALS = [
  '<',
  '>',
  '&',
  '"',
  "'",
  '=',
  '/',
  ' ',
  'a',
  'Ա',
  'я',
  'é',
  '😀',
  '\u202e',
  '\u200b',
  '\u00a0',
  '\n',
  '\t',
  'on',
  'script',
];
const textArb = (withHostileCodes: boolean) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }) },
    { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(...SPECIALS), minLength: 1, maxLength: 12 }) },
    { weight: 1, arbitrary: fc.constantFrom(...XSS_PAYLOADS.filter((x) => !x.bodyOnly).map((x) => x.value)) },
    // NUL and lone surrogates: the validator refuses them.
    {
      weight: withHostileCodes ? 1 : 0,
      arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }),
    },
  );

type GenOpts = { hostile: boolean; footnotes: boolean };

function docArb({ hostile, footnotes }: GenOpts): fc.Arbitrary<DocJSON> {
  const href = hostile ? anyHref : safeHref;
  const marks: fc.Arbitrary<Mark[] | undefined> = fc
    .shuffledSubarray(['bold', 'italic', 'underline', 'link'] as const)
    .chain((types) =>
      types.includes('link')
        ? href.map((hr) => types.map((type): Mark => (type === 'link' ? link(hr) : { type })))
        : fc.constant(types.map((type): Mark => ({ type }))),
    )
    .map((ms) => (ms.length ? ms : undefined));
  const withMarks = (n: DocJSON, ms: Mark[] | undefined): DocJSON => (ms ? { ...n, marks: ms } : n);
  const text = fc.tuple(textArb(hostile), marks).map(([s, ms]) => withMarks(t(s), ms));
  const inline = fc.oneof(
    { weight: 6, arbitrary: text },
    { weight: 1, arbitrary: marks.map((ms) => withMarks(br, ms)) },
    {
      weight: footnotes ? 1 : 0,
      arbitrary: fc.tuple(textArb(hostile), marks).map(([s, ms]) => withMarks(fn(s), ms)),
    },
  );
  const inlines = fc.array(inline, { maxLength: 6 }).map((c) => (c.length ? c : undefined));
  const paragraph = inlines.map((c): DocJSON =>
    c ? { type: 'paragraph', content: c } : { type: 'paragraph' },
  );
  const heading = fc
    .tuple(hostile ? fc.constantFrom<unknown>(2, 3, 2, 3, 1, '2', 7) : fc.constantFrom(2, 3), inlines)
    .map(([level, c]): DocJSON =>
      c
        ? { type: 'heading', attrs: { level } as Record<string, unknown>, content: c }
        : { type: 'heading', attrs: { level } as Record<string, unknown> },
    );
  const tree = fc.letrec<{ block: DocJSON; listItem: DocJSON }>((tie) => ({
    block: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      paragraph,
      heading,
      fc.constant(hr),
      fc.array(tie('block'), { minLength: 1, maxLength: 3 }).map((c) => quote(...c)),
      fc.array(tie('listItem'), { minLength: 1, maxLength: 3 }).map((c) => ul(...c)),
      fc
        .tuple(
          fc.array(tie('listItem'), { minLength: 1, maxLength: 3 }),
          fc.integer({ min: 1, max: 100_000 }),
          fc.constantFrom(null, 'a', 'I', '1'),
        )
        .map(([c, start, type]): DocJSON => ({ type: 'orderedList', attrs: { start, type }, content: c })),
    ),
    listItem: fc
      .tuple(paragraph, fc.array(tie('block'), { maxLength: 2 }))
      .map(([first, rest]) => li(first, ...rest)),
  }));
  return fc.array(tree.block, { minLength: 1, maxLength: 5 }).map((c) => doc(...c));
}

/** Adjacent text nodes with the same marks are one text node to the schema: join them, as the editor would. */
function joinTexts(n: DocJSON): DocJSON {
  if (!n.content) return n;
  const content: DocJSON[] = [];
  const key = (m: DocJSON['marks']) =>
    JSON.stringify((m ?? []).map((x) => [x.type, x.attrs?.href ?? null]).sort());
  for (const c of n.content.map(joinTexts)) {
    const last = content[content.length - 1];
    if (last && last.type === 'text' && c.type === 'text' && key(last.marks) === key(c.marks))
      content[content.length - 1] = { ...last, text: last.text! + c.text! };
    else content.push(c);
  }
  return { ...n, content };
}

/** The document with its marks in schema order (how the schema stores them). */
function schemaMarkOrder(n: DocJSON): DocJSON {
  const rank = Object.keys(editorSchema().marks);
  const out: DocJSON = { ...n };
  if (n.marks) out.marks = [...n.marks].sort((a, b) => rank.indexOf(a.type) - rank.indexOf(b.type));
  if (n.content) out.content = n.content.map(schemaMarkOrder);
  return out;
}

function depthOf(n: DocJSON): number {
  return 1 + Math.max(0, ...(n.content ?? []).map(depthOf));
}

const NUM_RUNS = 300;

describe('property-based', () => {
  it('any document, hostile text, marks and addresses included: refused by the validator, or rendered safe', () => {
    let accepted = 0;
    fc.assert(
      fc.property(docArb({ hostile: true, footnotes: true }), (d) => {
        const r = validateDoc(d);
        // The renderer alone is safe even on what the validator refuses (it re-checks links and attributes).
        expect(domProblems(renderDoc(d).html)).toEqual([]);
        if (!r.ok) return;
        accepted++;
        const out = renderDoc(r.doc).html;
        expect(domProblems(out)).toEqual([]);
        // Every link written is one the document carried, normalized; every allowed link of the document is written.
        const anchors = Array.from(parseHtml(out).querySelectorAll('a')).filter(
          (a) => !a.getAttribute('href')!.startsWith('#'),
        );
        for (const a of anchors) expect(isAllowedHref(a.getAttribute('href'))).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
    // Not vacuous: a fair share of the generated documents were accepted and rendered.
    expect(accepted).toBeGreaterThan(NUM_RUNS / 10);
  });

  it('documents built from the schema (no hostile parts) are accepted as sent and rendered safe', () => {
    fc.assert(
      fc.property(
        docArb({ hostile: false, footnotes: true })
          .map(joinTexts)
          .filter((d) => depthOf(d) <= 12),
        (d) => {
          const r = validateDoc(d);
          expect(r.ok ? 'accepted' : r.problem).toBe('accepted');
          if (!r.ok) return;
          expect(r.doc).toEqual(schemaMarkOrder(d));
          expect(domProblems(renderDoc(r.doc).html)).toEqual([]);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('rendering is deterministic: the same document twice gives the same HTML and notes', () => {
    fc.assert(
      fc.property(docArb({ hostile: true, footnotes: true }), (d) => {
        const r = validateDoc(d);
        if (!r.ok) return;
        const a = renderDoc(r.doc, { idPrefix: 'p1' });
        const b = renderDoc(JSON.parse(JSON.stringify(r.doc)) as DocJSON, { idPrefix: 'p1' });
        expect(b).toEqual(a);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('render(parse(render(doc))) === render(doc) for documents without footnotes (ProseMirror DOMParser in happy-dom)', () => {
    const parser = PMDOMParser.fromSchema(editorSchema());
    // The editor keeps whitespace as typed (white-space: pre-wrap), so parse it the same way.
    const reparse = (s: string): DocJSON =>
      parser.parse(parseHtml(s) as unknown as Node, { preserveWhitespace: 'full' }).toJSON() as DocJSON;
    fc.assert(
      fc.property(
        docArb({ hostile: false, footnotes: false })
          .map(joinTexts)
          .filter((d) => depthOf(d) <= 12),
        (d) => {
          const r = validateDoc(d);
          if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.problem)}`);
          const once = renderDoc(r.doc).html;
          const back = reparse(once);
          // What came back is a valid document by itself…
          const v = validateDoc(back);
          expect(v.ok ? 'accepted' : v.problem).toBe('accepted');
          // … and renders to the same HTML.
          expect(renderDoc(back).html).toBe(once);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('the round trip on a fixed document with every node and mark returns the same document (links normalized)', () => {
    const parser = PMDOMParser.fromSchema(editorSchema());
    const d = valid(
      doc(
        h(2, t('Title '), t('<&>', bold)),
        h(3, t('Sub')),
        p(t('a  b', italic), br, t('c', underline, link(' https://example.org/x')), t(' \u00a0d')),
        ul(li(p(t('one')), ol(4, li(p(t('two')), quote(p(t('q'))))))),
        hr,
        p(),
      ),
    );
    const back = parser
      .parse(parseHtml(renderDoc(d).html) as unknown as Node, { preserveWhitespace: 'full' })
      .toJSON() as DocJSON;
    const expected = JSON.parse(
      JSON.stringify(d).replace('" https://example.org/x"', '"https://example.org/x"'),
    ) as DocJSON;
    expect(JSON.parse(JSON.stringify(back))).toEqual(expected);
  });
});
