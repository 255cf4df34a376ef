// Text-quote anchors: built from a selection, re-found after the text changed, detached when the passage is gone.
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import {
  buildQuoteSelector,
  CONTEXT_CHARS,
  locateQuote,
  QUOTE_MAX,
  textOfHtml,
  type TextQuoteSelector,
} from './anchors';
import { renderDoc } from './editor/render';

const TEXT =
  'We, the undersigned organizations, call on the government to publish the draft law on public ' +
  'assemblies before it is sent to parliament. The draft must be open to comment for at least thirty days. ' +
  'Civil society must be heard before the vote, not after it.';

/** The selector of the first occurrence of `passage` in `text`. */
function selectorOf(text: string, passage: string, occurrence = 0): TextQuoteSelector {
  let i = -1;
  for (let k = 0; k <= occurrence; k++) i = text.indexOf(passage, i + 1);
  expect(i, `"${passage}" in the text`).toBeGreaterThanOrEqual(0);
  return buildQuoteSelector(text, i, i + passage.length)!;
}
const found = (text: string, m: { start: number; end: number } | null) =>
  m ? text.slice(m.start, m.end) : null;

describe('buildQuoteSelector', () => {
  it('keeps the quote and up to 32 characters of context on each side', () => {
    const s = selectorOf(TEXT, 'open to comment for at least thirty days');
    expect(s.exact).toBe('open to comment for at least thirty days');
    expect(s.prefix).toHaveLength(CONTEXT_CHARS);
    expect(TEXT).toContain(s.prefix + s.exact + s.suffix);
    expect(s.suffix).toHaveLength(CONTEXT_CHARS);
  });

  it('shorter context at the edges of the text; whitespace around the selection left out', () => {
    expect(buildQuoteSelector('  Hello world  ', 0, 8)).toEqual({
      exact: 'Hello',
      prefix: '  ',
      suffix: ' world  ',
    });
    expect(buildQuoteSelector(TEXT, TEXT.length - 6, TEXT.length + 10)).toMatchObject({
      exact: 'er it.',
      suffix: '',
    });
  });

  it('an empty or whitespace-only selection gives no selector', () => {
    expect(buildQuoteSelector(TEXT, 5, 5)).toBeNull();
    expect(buildQuoteSelector('a   b', 1, 4)).toBeNull();
    expect(buildQuoteSelector('', 0, 0)).toBeNull();
  });

  it('reversed offsets are the same selection', () => {
    expect(buildQuoteSelector(TEXT, 20, 10)).toEqual(buildQuoteSelector(TEXT, 10, 20));
  });

  it(`caps the quote at ${QUOTE_MAX} characters`, () => {
    const long = 'word '.repeat(400);
    expect(buildQuoteSelector(long, 0, long.length)!.exact.length).toBeLessThanOrEqual(QUOTE_MAX);
  });

  it('never splits a surrogate pair (the server refuses lone surrogates)', () => {
    const text = '😀'.repeat(40) + ' passage ' + '😀'.repeat(40);
    const start = text.indexOf('passage');
    // 33 code units before the quote start inside a pair; the selector drops the half character.
    const s = buildQuoteSelector(text, start - 1, start + 'passage'.length + 1, 33)!;
    for (const part of [s.prefix, s.exact, s.suffix])
      expect(part).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    // A selection edge inside a pair takes the whole emoji.
    const e = buildQuoteSelector(text, 1, 5)!;
    expect(e.exact).toBe('😀😀😀');
  });
});

describe('locateQuote', () => {
  it('the unchanged text: exact, at the same place', () => {
    const s = selectorOf(TEXT, 'publish the draft law');
    const m = locateQuote(TEXT, s);
    expect(m).toMatchObject({ method: 'exact', start: TEXT.indexOf('publish the draft law') });
    expect(found(TEXT, m)).toBe('publish the draft law');
  });

  it('text inserted before the passage: still anchored, exactly, at its new place', () => {
    const s = selectorOf(TEXT, 'open to comment for at least thirty days');
    const edited = 'PREAMBLE. Adopted at the general meeting of 12 May. ' + TEXT;
    const m = locateQuote(edited, s);
    expect(m?.method).toBe('exact');
    expect(m!.start).toBe(edited.indexOf('open to comment'));
    expect(found(edited, m)).toBe('open to comment for at least thirty days');
  });

  it('one word inside the passage changed: anchored fuzzy, on the changed passage', () => {
    const s = selectorOf(TEXT, 'open to comment for at least thirty days');
    const edited = TEXT.replace('thirty days', 'forty days');
    const m = locateQuote(edited, s);
    expect(m?.method).toBe('fuzzy');
    const hit = found(edited, m)!;
    expect(hit).toContain('open to comment for at least');
    expect(hit).toContain('forty');
    expect(m!.start).toBeGreaterThanOrEqual(edited.indexOf('open to comment') - 2);
    expect(m!.start).toBeLessThanOrEqual(edited.indexOf('open to comment') + 2);
  });

  it('the same quote twice: the occurrence whose context matches', () => {
    const text =
      'Article 1. The draft must be published. Article 2. The budget must be published. Article 3. The draft must be published.';
    // The second "must be published" belongs to the budget.
    const s = selectorOf(text, 'must be published', 1);
    const m = locateQuote(text, s);
    expect(m?.method).toBe('exact');
    expect(m!.start).toBe(text.indexOf('budget must be published') + 'budget '.length);
    // …and after text inserted before all of them, still the budget's.
    const edited = 'Preamble. ' + text;
    expect(locateQuote(edited, s)!.start).toBe(edited.indexOf('budget must be published') + 'budget '.length);
  });

  it('identical quote and context twice: the one nearest the position hint, else the first', () => {
    const text = 'yes. We agree. yes. We agree. yes.';
    const s = { exact: 'We agree', prefix: 'yes. ', suffix: '. yes' };
    expect(locateQuote(text, s)!.start).toBe(5);
    expect(locateQuote(text, s, 20)!.start).toBe(20);
  });

  it('an Armenian passage: exact after an insertion, fuzzy after a change of one word', () => {
    const hy =
      'Մենք՝ ստորագրող կազմակերպություններս, կոչ ենք անում կառավարությանը հրապարակել հավաքների մասին օրենքի նախագիծը ' +
      'մինչև այն խորհրդարան ուղարկելը։ Նախագիծը պետք է առնվազն երեսուն օր բաց լինի հանրային քննարկման համար։';
    const passage = 'առնվազն երեսուն օր բաց լինի հանրային քննարկման';
    const s = selectorOf(hy, passage);
    expect(s.prefix.length).toBe(CONTEXT_CHARS);
    const inserted = 'Նախաբան։ ' + hy;
    expect(found(inserted, locateQuote(inserted, s))).toBe(passage);
    const changed = hy.replace('երեսուն', 'քառասուն');
    const m = locateQuote(changed, s);
    expect(m?.method).toBe('fuzzy');
    expect(found(changed, m)).toContain('քառասուն օր բաց լինի հանրային');
  });

  it('a Russian passage with a changed word is found; a removed one is detached', () => {
    const ru =
      'Мы, нижеподписавшиеся организации, призываем правительство опубликовать проект закона о собраниях. ' +
      'Проект должен быть открыт для обсуждения не менее тридцати дней. Гражданское общество должно быть услышано.';
    const s = selectorOf(ru, 'открыт для обсуждения не менее тридцати дней');
    const changed = ru.replace('тридцати', 'сорока');
    expect(found(changed, locateQuote(changed, s))).toContain('открыт для обсуждения не менее');
    const removed = ru.replace('Проект должен быть открыт для обсуждения не менее тридцати дней. ', '');
    expect(locateQuote(removed, s)).toBeNull();
  });

  it('the passage deleted: null (detached)', () => {
    const s = selectorOf(TEXT, 'The draft must be open to comment for at least thirty days.');
    const edited = TEXT.replace('The draft must be open to comment for at least thirty days. ', '');
    expect(locateQuote(edited, s)).toBeNull();
  });

  it('the passage rewritten beyond recognition: null', () => {
    const s = selectorOf(TEXT, 'Civil society must be heard before the vote');
    const edited = TEXT.replace(
      'Civil society must be heard before the vote',
      'Consultations should happen early',
    );
    expect(locateQuote(edited, s)).toBeNull();
  });

  it('edge cases: empty quote or text, a quote longer than the text, a one-letter quote that is gone', () => {
    expect(locateQuote(TEXT, { exact: '', prefix: '', suffix: '' })).toBeNull();
    expect(locateQuote('', { exact: 'law', prefix: '', suffix: '' })).toBeNull();
    expect(
      locateQuote('short', { exact: 'a much longer quote than the text', prefix: '', suffix: '' }),
    ).toBeNull();
    expect(locateQuote('xyz', { exact: 'q', prefix: 'x', suffix: 'z' })).toBeNull();
    // A quote at the very start or end of the text (empty prefix or suffix) is found.
    const first = buildQuoteSelector(TEXT, 0, 2)!;
    expect(first.prefix).toBe('');
    expect(locateQuote(TEXT, first)).toMatchObject({ start: 0, end: 2, method: 'exact' });
  });

  it('fuzzy matches never split a surrogate pair', () => {
    const text = 'Թող 🙂 լինի հանրային քննարկում 🙂 երեսուն օր';
    const s = buildQuoteSelector(text, text.indexOf('🙂 լինի'), text.indexOf('քննարկում') + 9)!;
    const changed = text.replace('հանրային', 'բաց');
    const m = locateQuote(changed, s);
    expect(m?.method).toBe('fuzzy');
    const hit = changed.slice(m!.start, m!.end);
    expect(hit.startsWith('🙂')).toBe(true);
    expect(hit).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
  });
});

describe('textOfHtml', () => {
  it("equals a browser's textContent of the rendered draft (marks, links, lists, footnotes, escaped characters)", () => {
    const doc = {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Ա. <Title> & "quotes"' }] },
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'Мы ' },
            { type: 'text', text: 'призываем', marks: [{ type: 'bold' }] },
            { type: 'text', text: ' см. ' },
            {
              type: 'text',
              text: 'сайт',
              marks: [{ type: 'link', attrs: { href: 'https://example.org/?a=1&b=2' } }],
            },
            { type: 'footnote', attrs: { text: "Note with 'apostrophe' & https://example.org" } },
            { type: 'hardBreak' },
            { type: 'text', text: 'a\u00a0b  c' },
          ],
        },
        {
          type: 'bulletList',
          content: [
            {
              type: 'listItem',
              content: [{ type: 'paragraph', content: [{ type: 'text', text: 'item 😀' }] }],
            },
          ],
        },
        { type: 'horizontalRule' },
      ],
    };
    const html = renderDoc(doc as never, { notesLabel: 'Notes' }).html;
    const win = new Window();
    const div = win.document.createElement('div');
    div.innerHTML = html;
    expect(textOfHtml(html)).toBe(div.textContent);
    expect(textOfHtml(html)).toContain('Ա. <Title> & "quotes"');
  });
});
