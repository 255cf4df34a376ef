// The embed's list string (app/embed/[lang]/[slug]/page.tsx): every value escaped, the markup embed.css styles,
// a heading per run of one group, and the marks in the reader's language. Pure: no database.
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { embedListHtml, signatoryView } from './public-outputs';
import type { RecordSignatory } from './record';

const XSS = `<img src=x onerror="alert(1)">'&"`;

const sig = (over: Partial<RecordSignatory>): RecordSignatory => ({
  id: crypto.randomUUID(),
  kind: 'organization',
  names: { en: 'Org' },
  city: null,
  country: null,
  verified: false,
  title: null,
  person_name: null,
  group: null,
  initiator: false,
  method: 'member',
  signed_at: '2026-05-02T20:30:00Z',
  joined_after_publication: false,
  status: 'signed',
  withdrawn_at: null,
  withdraw_reason: null,
  ...over,
});

const labels = { verified: 'verified', initiator: 'initiator' };

function parse(html: string) {
  const main = new Window().document.createElement('main');
  main.innerHTML = html;
  return main;
}

describe('embedListHtml', () => {
  it('escapes every value: names, person, place and group stay text, no element or attribute comes from them', () => {
    const list = [
      sig({ names: { en: XSS }, city: XSS, country: XSS, person_name: XSS, title: XSS, group: XSS }),
      sig({ kind: 'individual', names: { en: XSS }, title: XSS, group: XSS }),
    ].map((s) => signatoryView(s, 'en', null, { memberMethod: true }));
    const root = parse(embedListHtml(list, labels));
    expect(root.querySelectorAll('img, script, [onerror]')).toHaveLength(0);
    const items = root.querySelectorAll('ul.signatories > li');
    expect(items).toHaveLength(2);
    expect(items[0]!.querySelector('.who strong')!.textContent).toBe(XSS);
    expect(items[0]!.querySelector('.who')!.textContent).toBe(`${XSS} — ${XSS}, ${XSS} (${XSS}, ${XSS})`);
    expect(root.querySelector('h3')!.textContent).toBe(XSS);
  });

  it('one heading per run of a group, in the order given; the marks, the verified mark and withdrawn entries', () => {
    const list = [
      sig({ names: { en: 'A' }, group: 'Founders', initiator: true, verified: true }),
      sig({ names: { en: 'B' }, group: 'Founders', status: 'withdrawn', withdrawn_at: '2026-06-01T10:00:00Z' }),
      sig({ names: { en: 'C' }, group: null, joined_after_publication: true, method: 'join_request' }),
      sig({ names: { en: 'D' }, group: 'Founders' }),
    ].map((s) => signatoryView(s, 'en', null, { timeZone: 'Asia/Yerevan' }));
    const root = parse(embedListHtml(list, labels));
    expect([...root.querySelectorAll('h3')].map((h) => h.textContent)).toEqual(['Founders', 'Founders']);
    const sections = root.querySelectorAll('section');
    expect(sections).toHaveLength(2);
    for (const section of sections)
      expect(section.querySelector(`#${section.getAttribute('aria-labelledby')}`)?.tagName).toBe('H3');
    const li = [...root.querySelectorAll('li')];
    expect(li.map((l) => l.querySelector('strong')!.textContent)).toEqual(['A', 'B', 'C', 'D']);
    expect(li[0]!.querySelector('.verified')!.textContent).toBe(' · verified');
    expect(li[0]!.querySelector('.marks')!.textContent).toBe('initiator');
    expect(li[1]!.className).toBe('withdrawn');
    expect(li[1]!.querySelector('.marks')!.textContent).toContain('2026');
    // Joined late on 2 May at 20:30 UTC: 3 May in Yerevan (UTC+4).
    expect(li[2]!.querySelector('.marks')!.textContent).toContain('May 3, 2026');
    expect(li[3]!.querySelector('.marks')).toBeNull();
    expect(li[3]!.className).toBe('');
  });

  it('an empty list is an empty string', () => {
    expect(embedListHtml([], labels)).toBe('');
  });
});
