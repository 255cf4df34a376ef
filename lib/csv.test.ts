// The signatories CSV: formula cells neutralised (OWASP CSV injection), RFC 4180 quoting, UTF-8 BOM, display order,
// and nothing private (I13).
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { CSV_BOM, csvCell, SIGNATORY_COLUMNS, signatoriesCsv, toCsv } from './csv';
import { getPublicStatement } from './publishing';
import type { RecordSignatory } from './record';
import { publishedStatement } from './testing/publish';
import { XSS_PAYLOADS } from './testing/xss-corpus';

/** A strict RFC 4180 reader (CRLF rows, quoted cells with doubled quotes), to read back what we wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c === '"') {
        quoted = false;
        i++;
        continue;
      }
      cell += c;
      i++;
      continue;
    }
    if (c === '"') {
      if (cell !== '') throw new Error(`quote inside an unquoted cell at ${i}`);
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 2;
    } else if (c === '\r' || c === '\n') {
      throw new Error(`bare line break at ${i}`);
    } else {
      cell += c;
      i++;
    }
  }
  if (quoted) throw new Error('unterminated quoted cell');
  if (cell !== '' || row.length) throw new Error('last row not terminated by CRLF');
  return rows;
}

const sig = (over: Partial<RecordSignatory> & { name: string }): RecordSignatory => ({
  id: over.id ?? `sig-${over.name}`,
  kind: 'organization',
  names: { default: over.name },
  city: null,
  country: null,
  verified: false,
  title: null,
  person_name: null,
  group: null,
  initiator: false,
  method: 'member',
  signed_at: '2024-05-01T10:00:00.000Z',
  joined_after_publication: false,
  status: 'signed',
  withdrawn_at: null,
  withdraw_reason: null,
  ...over,
});

const pubOf = (
  signatories: RecordSignatory[],
  extra: { listOrder?: 'joined' | 'alphabetical'; positions?: Record<string, string[]> } = {},
) => ({
  record: { signatories, primary_lang: 'hy' } as never,
  listOrder: extra.listOrder ?? ('joined' as const),
  positions: extra.positions ?? {},
});

describe('csvCell', () => {
  it('prefixes a cell beginning with = + - @, a tab or a carriage return with a single quote', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+37410')).toBe("'+37410");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1:A2)')).toBe("'@SUM(A1:A2)");
    expect(csvCell('\t=cmd')).toBe("'\t=cmd");
    // A carriage return also forces quoting.
    expect(csvCell('\r=cmd')).toBe(`"'\r=cmd"`);
    expect(csvCell('=HYPERLINK("http://evil.example","x")')).toBe(
      `"'=HYPERLINK(""http://evil.example"",""x"")"`,
    );
  });

  it('leaves other cells as they are (allowed twin): text, Armenian, inner = or -, numbers, booleans, empty', () => {
    expect(csvCell('Helsinki Citizens’ Assembly')).toBe('Helsinki Citizens’ Assembly');
    expect(csvCell('«Իրավունքի» կենտրոն')).toBe('«Իրավունքի» կենտրոն');
    expect(csvCell('a=b-c+d@e')).toBe('a=b-c+d@e');
    expect(csvCell(' =not first')).toBe(' =not first');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('quotes cells with a comma, a quote or a line break and doubles inner quotes (RFC 4180)', () => {
    expect(csvCell('Yerevan, Armenia')).toBe('"Yerevan, Armenia"');
    expect(csvCell('the "Law"')).toBe('"the ""Law"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('plain')).toBe('plain');
  });
});

describe('toCsv', () => {
  it('starts with a UTF-8 BOM, ends rows with CRLF, and reads back to the same cells', () => {
    const rows = [
      ['a', 'b,c', 'd"e'],
      ['Ա', 'x\ny', ''],
    ];
    const text = toCsv(rows);
    expect(text.startsWith(CSV_BOM)).toBe(true);
    expect(Buffer.from(text, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parseCsv(text.slice(1))).toEqual(rows);
  });
});

describe('signatoriesCsv', () => {
  it('one row per signatory in display order, with every column; formulas and the XSS corpus stay inert text', () => {
    const evil = XSS_PAYLOADS.filter((p) => !p.bodyOnly).map((p) => p.value);
    const list = [
      sig({
        name: '=cmd|" /C calc"!A0',
        city: 'Yerevan, Kentron',
        country: 'Armenia',
        verified: true,
        initiator: true,
      }),
      sig({ name: 'Хельсинкская группа', title: '+Chair', person_name: 'Ани Петросян', group: '@Regional' }),
      sig({
        name: 'Ana Individual',
        kind: 'individual',
        title: 'human rights defender',
        method: 'join_request',
        joined_after_publication: true,
        signed_at: '2024-06-02T08:00:00.000Z',
      }),
      sig({
        name: '«Իրավունք» ՀԿ',
        status: 'withdrawn',
        withdrawn_at: '2024-07-01T00:00:00.000Z',
        withdraw_reason: 'x',
      }),
      ...evil.map((v, i) => sig({ id: `e${i}`, name: v, title: v })),
    ];
    const csv = signatoriesCsv(pubOf(list), 'hy');
    expect(csv.startsWith(CSV_BOM)).toBe(true);
    const rows = parseCsv(csv.slice(1));
    expect(rows[0]).toEqual([...SIGNATORY_COLUMNS]);
    expect(rows).toHaveLength(list.length + 1);
    expect(rows[1]).toEqual([
      `'=cmd|" /C calc"!A0`,
      'organization',
      '',
      'Yerevan, Kentron',
      'Armenia',
      '',
      'true',
      'member',
      'false',
      '2024-05-01T10:00:00.000Z',
      'signed',
      '',
    ]);
    expect(rows[2]).toEqual([
      'Хельсинкская группа',
      'organization',
      'Ани Петросян, +Chair',
      '',
      '',
      "'@Regional",
      'false',
      'member',
      'false',
      '2024-05-01T10:00:00.000Z',
      'signed',
      '',
    ]);
    expect(rows[3]!.slice(0, 3)).toEqual(['Ana Individual', 'individual', 'human rights defender']);
    expect(rows[3]!.slice(7, 10)).toEqual(['join_request', 'true', '2024-06-02T08:00:00.000Z']);
    expect(rows[4]!.slice(10)).toEqual(['withdrawn', '2024-07-01T00:00:00.000Z']);
    // Every payload is there as text, neutralised when it starts like a formula.
    evil.forEach((v, i) => expect(rows[5 + i]![0]).toBe(/^[=+\-@\t\r]/.test(v) ? `'${v}` : v));
    // No cell of the whole file starts a formula.
    for (const r of rows) for (const c of r) expect(c).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('follows the stored alphabetical positions of the language', () => {
    const list = [sig({ id: 'a', name: 'Բ' }), sig({ id: 'b', name: 'Ա' })];
    const csv = signatoriesCsv(
      pubOf(list, { listOrder: 'alphabetical', positions: { hy: ['b', 'a'] } }),
      'hy',
    );
    expect(parseCsv(csv.slice(1)).map((r) => r[0])).toEqual(['name', 'Ա', 'Բ']);
    const joined = signatoriesCsv(pubOf(list), 'hy');
    expect(parseCsv(joined.slice(1)).map((r) => r[0])).toEqual(['name', 'Բ', 'Ա']);
  });

  it('from a published statement: the listed organizations, names as registered, no e-mail address or user id', async () => {
    const p = await publishedStatement({
      signatories: 3,
      profiles: [
        { name: '=Հելսինկյան ասամբլեա', city: 'Վանաձոր' },
        { name: 'Правозащитный центр', names: { en: 'Human Rights Centre' } },
        { name: 'Open Society, "Armenia"' },
      ],
      signerTitles: ['Նախագահ', null, '-Director'],
    });
    const pub = (await getPublicStatement(getDb(), p.slug))!;
    for (const lang of ['hy', 'en', 'ru']) {
      const csv = signatoriesCsv(pub, lang);
      const rows = parseCsv(csv.slice(1));
      expect(rows.map((r) => r[0]).slice(1)).toEqual([
        "'=Հելսինկյան ասամբլեա",
        lang === 'en' ? 'Human Rights Centre' : 'Правозащитный центр',
        'Open Society, "Armenia"',
      ]);
      expect(rows.map((r) => r[2]).slice(1)).toEqual(['Նախագահ', '', "'-Director"]);
      expect(rows[1]![3]).toBe('Վանաձոր');
      const users = (await getDb().execute(sql`SELECT id::text AS id, email FROM users`)) as unknown as {
        id: string;
        email: string;
      }[];
      expect(users.length).toBeGreaterThan(0);
      for (const u of users) {
        expect(csv).not.toContain(u.email);
        expect(csv).not.toContain(u.id);
      }
      expect(csv).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
    }
  });
});
