// RSS 2.0 and Atom 1.0 feeds: well-formed XML read back with a real parser, the required elements, markup and
// control characters in titles stay (or become) plain text, the scopes (all, per language, per organization), the
// order, and nothing private (I13).
import { sql } from 'drizzle-orm';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import {
  buildAtom,
  buildRss,
  entryOf,
  feedAlternates,
  feedEntries,
  renderFeed,
  xmlSafe,
  xmlText,
  type FeedEntry,
  type FeedMeta,
} from './feeds';
import { withdrawSignature } from './signing';
import { ctxFor, digestDomain } from './testing/db';
import { seedOrg } from './testing/orgs';
import { publishedStatement } from './testing/publish';
import { XSS_PAYLOADS } from './testing/xss-corpus';

const ORIGIN = 'http://localhost:3000';
const ARRAYS = [
  'rss.channel.item',
  'rss.channel.item.dc:creator',
  'feed.entry',
  'feed.author',
  'feed.link',
  'feed.entry.author',
  'feed.entry.link',
];
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  trimValues: false,
  isArray: (_name, jpath) => ARRAYS.includes(String(jpath)),
});

type Node = Record<string, unknown>;
const textOf = (v: unknown): string =>
  typeof v === 'string' ? v : v && typeof v === 'object' ? String((v as Node)['#text'] ?? '') : '';

/** Parse, after checking the document is well-formed XML. */
function parse(xml: string): Node {
  const valid = XMLValidator.validate(xml);
  expect(valid, typeof valid === 'object' ? JSON.stringify(valid.err) : 'valid').toBe(true);
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  return parser.parse(xml) as Node;
}

/** RSS: channel with title/link/description and items with title/link/guid/pubDate/description. */
function rssItems(xml: string): Node[] {
  const doc = parse(xml);
  const rss = doc.rss as Node;
  expect(rss['@version']).toBe('2.0');
  const channel = rss.channel as Node;
  for (const k of ['title', 'link', 'description', 'language', 'lastBuildDate'])
    expect(textOf(channel[k]), `channel ${k}`).not.toBe('');
  const items = (channel.item as Node[] | undefined) ?? [];
  for (const it of items) {
    for (const k of ['title', 'link', 'guid', 'pubDate', 'description'])
      expect(textOf(it[k]), `item ${k}`).not.toBe('');
    expect(new Date(textOf(it.pubDate)).toUTCString()).toBe(textOf(it.pubDate));
  }
  return items;
}

/** Atom: feed with id/title/updated/author/self link, entries with id/title/link/updated/published/author/summary. */
function atomEntries(xml: string): Node[] {
  const doc = parse(xml);
  const feed = doc.feed as Node;
  expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
  for (const k of ['id', 'title', 'updated']) expect(textOf(feed[k]), `feed ${k}`).not.toBe('');
  expect((feed.link as Node[]).some((l) => l['@rel'] === 'self')).toBe(true);
  expect(((feed.author as Node[])[0] as Node).name).toBeTruthy();
  const entries = (feed.entry as Node[] | undefined) ?? [];
  for (const e of entries) {
    for (const k of ['id', 'title', 'updated', 'published', 'summary'])
      expect(textOf(e[k]), `entry ${k}`).not.toBe('');
    expect(textOf(e.updated)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect((e.link as Node[])[0]!['@href']).toMatch(/^http/);
    expect(textOf(((e.author as Node[])[0] as Node).name)).not.toBe('');
  }
  return entries;
}

const meta: FeedMeta = {
  title: 'T & <t>',
  subtitle: 'S',
  selfUrl: `${ORIGIN}/feeds/rss.xml`,
  siteUrl: `${ORIGIN}/en`,
  lang: 'en',
  updated: '2024-05-02T10:00:00.000Z',
};
const entry = (over: Partial<FeedEntry> = {}): FeedEntry => ({
  slug: 'a-statement',
  lang: 'hy',
  title: 'Հայտարարություն',
  link: `${ORIGIN}/hy/s/a-statement`,
  displayDate: '2024-05-01',
  publishedAt: '2024-05-02T09:30:00.000Z',
  excerpt: 'Մենք կոչ ենք անում',
  initiators: ['«Իրավունք» ՀԿ'],
  signatories: 3,
  state: 'published',
  ...over,
});

async function allUsers() {
  return (await getDb().execute(sql`SELECT id::text AS id, email FROM users`)) as unknown as {
    id: string;
    email: string;
  }[];
}

describe('escaping', () => {
  it('xmlText escapes the five XML characters; xmlSafe drops characters XML 1.0 forbids and keeps the rest', () => {
    expect(xmlText(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
    expect(xmlSafe('a\u0000b\u0001c\u0008d\u000be\u000cf\u001fg\uFFFEh\uFFFFi\uD800j')).toBe('abcdefghij');
    expect(xmlSafe('tab\tnl\ncr\r Ա Ж 😀 \u00a0')).toBe('tab\tnl\ncr\r Ա Ж 😀 \u00a0');
  });

  it('every XSS payload (and control characters) as a title, excerpt and initiator reads back as the same text in RSS and Atom', () => {
    const payloads = [
      ...XSS_PAYLOADS.filter((p) => !p.bodyOnly).map((p) => p.value),
      'bell\u0007 and NUL\u0000 and \uFFFF',
      ']]><x/>',
      '&amp; &lt;',
    ];
    const entries = payloads.map((v, i) =>
      entry({ slug: `s-${i}`, link: `${ORIGIN}/hy/s/s-${i}`, title: v, excerpt: v, initiators: [v] }),
    );
    const rss = rssItems(buildRss(meta, entries));
    const atom = atomEntries(buildAtom(meta, entries));
    expect(rss).toHaveLength(payloads.length);
    expect(atom).toHaveLength(payloads.length);
    payloads.forEach((v, i) => {
      // The parser decodes entities: what it reads back is the original text, minus characters XML cannot carry.
      const want = xmlSafe(v);
      expect(textOf(rss[i]!.title)).toBe(want);
      expect(textOf((rss[i]!['dc:creator'] as unknown[])[0])).toBe(want);
      expect(textOf(atom[i]!.title)).toBe(want);
      expect(atom[i]!.title).toMatchObject({ '@type': 'text' });
      expect(textOf(atom[i]!.summary)).toBe(want);
      // The description is HTML: its texts are HTML-escaped, so a reader that renders it shows the markup as text.
      const desc = textOf(rss[i]!.description);
      expect(desc.startsWith('<p>')).toBe(true);
      expect(desc).not.toMatch(/<(script|img|svg|iframe|a |body|details|math|base|meta)/i);
      expect(textOf(atom[i]!.content)).toBe(desc);
    });
    const channel = (parse(buildRss(meta, [])).rss as Node).channel as Node;
    expect(textOf(channel.title)).toBe('T & <t>');
    expect(textOf((parse(buildAtom(meta, [])).feed as Node).title)).toBe('T & <t>');
  });

  it('dates: RSS pubDate is the display date (RFC 822), Atom updated the display date and published the server time (RFC 3339)', () => {
    const [item] = rssItems(buildRss(meta, [entry()]));
    expect(textOf(item!.pubDate)).toBe('Wed, 01 May 2024 00:00:00 GMT');
    expect(textOf(item!['dc:date'])).toBe('2024-05-02T09:30:00Z');
    const [e] = atomEntries(buildAtom(meta, [entry()]));
    expect(textOf(e!.updated)).toBe('2024-05-01T00:00:00Z');
    expect(textOf(e!.published)).toBe('2024-05-02T09:30:00Z');
    expect(textOf(e!['us:signatories'])).toBe('3');
  });
});

describe('feeds from published statements', () => {
  it('all / per language / per organization, newest first by display date, entries from the signed record', async () => {
    const xss = XSS_PAYLOADS.find((p) => p.id === 'close-tag')!.value;
    const a = await publishedStatement({
      signatories: 2,
      title: `Ա ${xss}`,
      displayDate: '2024-03-01',
      translations: { en: { title: 'A in English', body: ['English body & more.'] } },
    });
    const b = await publishedStatement({
      signatories: 1,
      title: 'Բ հայտարարություն',
      displayDate: '2024-06-01',
      body: ['Երկրորդ տեքստ։'],
    });
    const c = await publishedStatement({
      signatories: 1,
      lang: 'ru',
      title: 'Заявление В',
      displayDate: '2023-12-31',
      body: ['Текст заявления.'],
    });
    const db = getDb();

    // Every statement, newest display date first, in its primary language.
    for (const format of ['rss', 'atom'] as const) {
      const xml = (await renderFeed(db, { kind: 'all' }, format, ORIGIN))!;
      const items = format === 'rss' ? rssItems(xml) : atomEntries(xml);
      expect(items.map((i) => textOf(i.title))).toEqual(['Բ հայտարարություն', `Ա ${xss}`, 'Заявление В']);
    }
    const [bItem] = rssItems((await renderFeed(db, { kind: 'all' }, 'rss', ORIGIN))!);
    expect(textOf(bItem!.link)).toBe(`${ORIGIN}/hy/s/${b.slug}`);
    expect(textOf(bItem!.description)).toContain('Երկրորդ տեքստ։');
    expect(textOf(bItem!['us:signatories'])).toBe('1');
    expect(textOf((bItem!['dc:creator'] as unknown[])[0])).toBe(b.init.org.name);

    // Per language: versions that include it, entries in that language, links to that interface language.
    const en = atomEntries((await renderFeed(db, { kind: 'lang', lang: 'en' }, 'atom', ORIGIN))!);
    expect(en.map((e) => textOf(e.title))).toEqual(['A in English']);
    expect(en[0]!['@xml:lang']).toBe('en');
    expect(textOf(en[0]!.summary)).toBe('English body & more.');
    expect((en[0]!.link as Node[])[0]!['@href']).toBe(`${ORIGIN}/en/s/${a.slug}`);
    expect(textOf(en[0]!['us:signatories'])).toBe('2');
    const hy = rssItems((await renderFeed(db, { kind: 'lang', lang: 'hy' }, 'rss', ORIGIN))!);
    expect(hy.map((i) => textOf(i.title))).toEqual(['Բ հայտարարություն', `Ա ${xss}`]);
    const ru = rssItems((await renderFeed(db, { kind: 'lang', lang: 'ru' }, 'rss', ORIGIN))!);
    expect(ru.map((i) => textOf(i.title))).toEqual(['Заявление В']);
    expect(
      textOf(
        (
          (parse((await renderFeed(db, { kind: 'lang', lang: 'ru' }, 'rss', ORIGIN))!).rss as Node)
            .channel as Node
        ).language,
      ),
    ).toBe('ru');
    expect(rssItems((await renderFeed(db, { kind: 'lang', lang: 'de' }, 'rss', ORIGIN))!)).toHaveLength(0);

    // Per organization: initiated (a's initiator) or signed (a's participant); an organization in nothing has none.
    const init = rssItems((await renderFeed(db, { kind: 'org', slug: a.init.org.slug }, 'rss', ORIGIN))!);
    expect(init.map((i) => textOf(i.link))).toEqual([`${ORIGIN}/hy/s/${a.slug}`]);
    const part = atomEntries(
      (await renderFeed(db, { kind: 'org', slug: a.orgs[1]!.org.slug }, 'atom', ORIGIN))!,
    );
    expect(part.map((e) => (e.link as Node[])[0]!['@href'])).toEqual([`${ORIGIN}/hy/s/${a.slug}`]);
    const other = await seedOrg();
    expect(
      rssItems((await renderFeed(db, { kind: 'org', slug: other.org.slug }, 'rss', ORIGIN))!),
    ).toHaveLength(0);
    expect(c.slug).toBeTruthy();

    // Nothing private in any feed.
    const users = await allUsers();
    expect(users.length).toBeGreaterThan(5);
    for (const scope of [
      { kind: 'all' as const },
      { kind: 'lang' as const, lang: 'hy' },
      { kind: 'org' as const, slug: a.init.org.slug },
    ]) {
      for (const format of ['rss', 'atom'] as const) {
        const xml = (await renderFeed(db, scope, format, ORIGIN))!;
        for (const u of users) {
          expect(xml).not.toContain(u.email);
          expect(xml).not.toContain(u.id);
        }
        expect(xml).not.toMatch(/[\w.+-]+@[\w-]+\.[a-z]{2,}/i);
      }
    }
  });

  it('an organization that withdrew before publication is not listed, so the statement is not in its feed; one that signed is', async () => {
    const p = await publishedStatement({
      signatories: 3,
      beforePublish: async ({ statementId, orgs }) => {
        await withdrawSignature(ctxFor(orgs[2]!.owner), {
          statementId,
          orgId: orgs[2]!.org.id,
          reason: null,
        });
      },
    });
    const db = getDb();
    const withdrew = (await feedEntries(db, { kind: 'org', slug: p.orgs[2]!.org.slug }))!;
    expect(withdrew.records).toHaveLength(0);
    const signed = (await feedEntries(db, { kind: 'org', slug: p.orgs[1]!.org.slug }))!;
    expect(signed.records.map((r) => r.record.slug)).toEqual([p.slug]);
    expect(entryOf(signed.records[0]!.record, null, ORIGIN).signatories).toBe(2);
  });

  it('unknown organizations and malformed language codes are no feed (null), and reading changes nothing', async () => {
    const db = getDb();
    const before = await digestDomain();
    expect(await renderFeed(db, { kind: 'org', slug: 'no-such-org' }, 'rss', ORIGIN)).toBeNull();
    expect(await renderFeed(db, { kind: 'org', slug: "x' OR 1=1 --" }, 'atom', ORIGIN)).toBeNull();
    expect(await renderFeed(db, { kind: 'lang', lang: 'EN<script>' }, 'rss', ORIGIN)).toBeNull();
    expect(await renderFeed(db, { kind: 'lang', lang: 'xx' }, 'rss', ORIGIN)).not.toBeNull();
    expect(await digestDomain()).toBe(before);
  });
});

describe('advertising feeds in a page head', () => {
  it('the all-statements feed first, then the page\'s own (language, organization), each in RSS and Atom with a title in the page language', () => {
    const types = feedAlternates('en', [
      { scope: { kind: 'lang', lang: 'hy' } },
      { scope: { kind: 'org', slug: 'helsinki-citizens' }, orgName: 'Helsinki Citizens' },
      { scope: { kind: 'all' } },
    ]);
    expect(types['application/rss+xml']).toEqual([
      { url: '/feeds/rss.xml', title: 'Undersigned — published statements (RSS)' },
      { url: '/feeds/lang/hy/rss.xml', title: 'Undersigned — statements in Armenian (RSS)' },
      { url: '/feeds/org/helsinki-citizens/rss.xml', title: 'Undersigned — statements of Helsinki Citizens (RSS)' },
    ]);
    expect(types['application/atom+xml'].map((f) => f.url)).toEqual([
      '/feeds/atom.xml',
      '/feeds/lang/hy/atom.xml',
      '/feeds/org/helsinki-citizens/atom.xml',
    ]);
    expect(feedAlternates('hy', [{ scope: { kind: 'lang', lang: 'hy' } }])['application/rss+xml'][1]!.title).toContain('հայերեն');
  });

  it('a language code the feed routes would refuse is not advertised', () => {
    const types = feedAlternates('en', [{ scope: { kind: 'lang', lang: 'EN"><script>' } }, { scope: { kind: 'lang', lang: 'sr-Latn' } }]);
    expect(types['application/rss+xml'].map((f) => f.url)).toEqual(['/feeds/rss.xml', '/feeds/lang/sr-Latn/rss.xml']);
  });
});
