// The three message catalogs stay in step: same keys in the same order, same ICU arguments, and the
// translations are real translations rather than English copies.
import { createTranslator } from 'use-intl/core';
import { describe, expect, it } from 'vitest';
import { catalogs, LOCALES, localeFromAcceptLanguage, type Locale } from '@/lib/i18n';

type Tree = { [key: string]: string | Tree };

/** Leaf values by dotted path, in file order. */
function flatten(tree: Tree, prefix = ''): [string, unknown][] {
  return Object.entries(tree).flatMap(([k, v]) =>
    v !== null && typeof v === 'object'
      ? flatten(v as Tree, `${prefix}${k}.`)
      : [[`${prefix}${k}`, v] as [string, unknown]],
  );
}

const flat = Object.fromEntries(LOCALES.map((l) => [l, flatten(catalogs[l] as Tree)])) as Record<
  Locale,
  [string, unknown][]
>;
const byKey = Object.fromEntries(LOCALES.map((l) => [l, new Map(flat[l])])) as Record<
  Locale,
  Map<string, unknown>
>;
const translated = LOCALES.filter((l) => l !== 'en');

const PLURAL_LIKE = new Set(['plural', 'select', 'selectordinal']);

/** icuArguments, or the parse error as a one-element list (so a broken message shows up as a mismatch). */
function argumentsOrError(message: string): string[] {
  try {
    return icuArguments(message);
  } catch (e) {
    return [`unparseable: ${(e as Error).message}`];
  }
}

/**
 * The arguments an ICU message uses: `name` for `{name}`, `name:type` for `{name, number}` etc., `<tag>` for
 * rich-text tags. Branch selectors (`one`, `few`, `=0`) are not compared: languages need different ones.
 */
function icuArguments(message: string): string[] {
  const found = new Set<string>();
  let i = 0;

  const fail = (why: string): never => {
    throw new Error(`cannot parse ICU message at ${i} (${why}): ${message}`);
  };
  const skipSpace = () => {
    while (i < message.length && /\s/.test(message[i]!)) i++;
  };
  const readToken = () => {
    skipSpace();
    const start = i;
    while (i < message.length && !/[\s,{}]/.test(message[i]!)) i++;
    return message.slice(start, i);
  };

  // Text up to the closing brace of the current level (or the end at the top level).
  function text(depth: number): void {
    while (i < message.length) {
      const c = message[i]!;
      if (c === "'" && /[{}#<>|']/.test(message[i + 1] ?? '')) {
        // ICU quoting: '' is a literal apostrophe, '{…}' is literal text.
        if (message[i + 1] === "'") {
          i += 2;
          continue;
        }
        const end = message.indexOf("'", i + 1);
        i = end === -1 ? message.length : end + 1;
        continue;
      }
      if (c === '{') {
        i++;
        argument();
        continue;
      }
      if (c === '}') {
        if (depth === 0) fail('unbalanced }');
        return;
      }
      if (c === '<') {
        const tag = /^<\/?([A-Za-z][\w-]*)\s*\/?>/.exec(message.slice(i));
        if (tag) {
          found.add(`<${tag[1]}>`);
          i += tag[0].length;
          continue;
        }
      }
      i++;
    }
    if (depth > 0) fail('missing }');
  }

  function argument(): void {
    const name = readToken();
    if (!name) fail('empty argument');
    skipSpace();
    if (message[i] === '}') {
      found.add(name);
      i++;
      return;
    }
    if (message[i] !== ',') fail('expected , or }');
    i++;
    const type = readToken();
    found.add(`${name}:${type}`);
    skipSpace();
    if (PLURAL_LIKE.has(type)) {
      if (message[i] !== ',') fail('expected , after plural/select');
      i++;
      for (;;) {
        skipSpace();
        if (message[i] === '}') {
          i++;
          return;
        }
        const selector = readToken();
        if (!selector) fail('expected a selector');
        if (selector.startsWith('offset:')) continue;
        skipSpace();
        if (message[i] !== '{') fail(`expected { after ${selector}`);
        i++;
        text(1);
        i++; // the branch's closing brace
      }
    }
    // number/date/time with an optional style: skip to the matching brace.
    let depth = 1;
    while (i < message.length && depth > 0) {
      if (message[i] === '{') depth++;
      if (message[i] === '}') depth--;
      i++;
    }
    if (depth > 0) fail('missing }');
  }

  text(0);
  return [...found].sort();
}

describe('message catalogs', () => {
  it('have exactly the same keys in every language', () => {
    const enKeys = new Set(byKey.en.keys());
    const diffs = translated.map((l) => {
      const keys = new Set(byKey[l].keys());
      const missing = [...enKeys].filter((k) => !keys.has(k));
      const extra = [...keys].filter((k) => !enKeys.has(k));
      return { locale: l, missing, extra };
    });
    expect(diffs).toEqual(translated.map((l) => ({ locale: l, missing: [], extra: [] })));
  });

  it('keep the keys in the same order as English', () => {
    const enOrder = flat.en.map(([k]) => k);
    for (const l of translated) {
      const order = flat[l].map(([k]) => k).filter((k) => byKey.en.has(k));
      expect(order, `${l}.json key order differs from en.json`).toEqual(
        enOrder.filter((k) => byKey[l].has(k)),
      );
    }
  });

  it('hold only non-empty strings', () => {
    for (const l of LOCALES) {
      const bad = flat[l].filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => k);
      expect(bad, `${l}.json has empty or non-string values`).toEqual([]);
    }
  });

  it('use the same ICU arguments as English in every message', () => {
    const mismatches: string[] = [];
    for (const [key, enValue] of flat.en) {
      const expected = argumentsOrError(String(enValue));
      for (const l of translated) {
        const value = byKey[l].get(key);
        if (typeof value !== 'string') continue; // reported by the key test
        const actual = argumentsOrError(value);
        if (actual.join('|') !== expected.join('|')) {
          mismatches.push(`${l} ${key}: expected {${expected.join(', ')}}, got {${actual.join(', ')}}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('format every message without an ICU error', () => {
    const errors: string[] = [];
    for (const l of LOCALES) {
      const t = createTranslator({
        locale: l,
        messages: catalogs[l],
        onError: (e) => errors.push(`${l}: ${e.message}`),
      }) as unknown as ((key: string, values?: Record<string, string | number | Date>) => string) & {
        markup: (key: string, values: Record<string, string | number | Date | ((chunks: string) => string)>) => string;
      };
      for (const [key, value] of flat[l]) {
        const values: Record<string, string | number | Date | ((chunks: string) => string)> = {};
        let tags = false;
        for (const arg of argumentsOrError(String(value))) {
          if (arg.startsWith('unparseable')) continue;
          if (arg.startsWith('<')) {
            // A rich-text tag (rendered with t.rich in components): format it as markup here.
            values[arg.replace(/[<>/]/g, '')] = (chunks: string) => chunks;
            tags = true;
            continue;
          }
          const [name = '', type] = arg.split(':');
          values[name] = type === 'date' || type === 'time' ? new Date(0) : type === 'select' ? 'other' : 1;
        }
        const out = tags ? t.markup(key, values) : t(key, values as Record<string, string | number | Date>);
        if (!out || out === key) errors.push(`${l} ${key}: formatted to ${JSON.stringify(out)}`);
      }
    }
    expect(errors).toEqual([]);
  });

  it('translate at least 95% of the messages (no English copies left behind)', () => {
    const tooMany: string[] = [];
    for (const l of translated) {
      const same = flat.en.filter(([k, v]) => byKey[l].get(k) === v).map(([k]) => k);
      const report = `${l}: ${same.length}/${flat.en.length} values identical to English: ${same.join(', ')}`;
      if (same.length > 0) console.info(report);
      if (same.length / flat.en.length > 0.05) tooMany.push(`${report} (max 5%)`);
    }
    expect(tooMany).toEqual([]);
  });

  it('keep the product name untranslated', () => {
    for (const l of LOCALES) expect(byKey[l].get('nav.brand')).toBe('Undersigned');
  });
});

describe('icuArguments', () => {
  it('finds simple, typed, plural and tag arguments', () => {
    expect(icuArguments('Signed in as {email}')).toEqual(['email']);
    expect(icuArguments('On {date, date, medium}: {n, number}')).toEqual(['date:date', 'n:number']);
    expect(icuArguments('{n, plural, one {# org} few {# orgs} other {# orgs, by {who}}}')).toEqual([
      'n:plural',
      'who',
    ]);
    expect(icuArguments('Read <link>the text</link>')).toEqual(['<link>']);
    expect(icuArguments("Literal '{braces}' and it''s")).toEqual([]);
  });

  it('refuses unbalanced messages', () => {
    expect(() => icuArguments('Hello {name')).toThrow();
    expect(() => icuArguments('Hello name}')).toThrow();
  });
});

describe('localeFromAcceptLanguage', () => {
  it.each([
    ['hy-AM,hy;q=0.9,en;q=0.8', 'hy'],
    ['ru', 'ru'],
    ['ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7', 'ru'],
    ['en-US,en;q=0.9', 'en'],
    ['de', 'en'],
    ['de-DE,de;q=0.9', 'en'],
    ['fr;q=0.9,ru;q=0.5', 'ru'],
    ['en;q=0.1,hy;q=0.8', 'hy'],
    ['HY-am', 'hy'],
    ['*', 'en'],
    ['garbage', 'en'],
    [';;;,,,q=', 'en'],
    ['', 'en'],
  ])('%j → %s', (header, expected) => {
    expect(localeFromAcceptLanguage(header)).toBe(expected);
  });

  it('falls back to English without a header', () => {
    expect(localeFromAcceptLanguage(null)).toBe('en');
    expect(localeFromAcceptLanguage(undefined)).toBe('en');
  });
});
