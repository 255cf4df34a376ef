// normalizeOrgName / slugFor / the domain comparison used by verification: pure functions, no database.
import { describe, expect, it } from 'vitest';
import { domainsMatch, editDistance, emailDomain, normalizeOrgName, slugFor, websiteDomain } from './org-names';

describe('normalizeOrgName', () => {
  const base = 'իրազեկ քաղաքացիների միավորում';

  it('ignores quote marks of every kind, case and spacing', () => {
    for (const v of [
      'Իրազեկ քաղաքացիների միավորում',
      '«Իրազեկ քաղաքացիների միավորում»',
      '“Իրազեկ քաղաքացիների միավորում”',
      '„Իրազեկ քաղաքացիների միավորում“',
      '"Իրազեկ   քաղաքացիների\tմիավորում"',
      "  'Իրազեկ քաղաքացիների միավորում'  ",
      'ԻՐԱԶԵԿ ՔԱՂԱՔԱՑԻՆԵՐԻ ՄԻԱՎՈՐՈՒՄ',
      'Իրազեկ\u00A0քաղաքացիների\u2009միավորում',
    ]) {
      expect(normalizeOrgName(v), JSON.stringify(v)).toBe(base);
    }
  });

  it('is NFC: composed and decomposed forms compare equal', () => {
    const composed = 'Café Ünion'.normalize('NFC');
    const decomposed = 'Café Ünion'.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    expect(normalizeOrgName(decomposed)).toBe(normalizeOrgName(composed));
    expect(normalizeOrgName(decomposed)).toBe('café ünion'.normalize('NFC'));
  });

  it('works for Russian and English names (guillemets, case, spacing)', () => {
    expect(normalizeOrgName('Правозащитный центр «Мемориал»')).toBe('правозащитный центр мемориал');
    expect(normalizeOrgName('  Helsinki   Citizens’ Assembly ')).toBe('helsinki citizens assembly');
  });

  it('keeps distinct names distinct', () => {
    expect(normalizeOrgName('Open Society Foundations')).not.toBe(normalizeOrgName('Open Society Foundation'));
    expect(editDistance(normalizeOrgName('Open Society Foundations'), normalizeOrgName('Open Society Foundation'))).toBe(1);
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3); // bounded: stops early past max
  });
});

describe('slugFor', () => {
  it('gives a readable ASCII slug for Armenian names (no apostrophe hyphens)', () => {
    expect(slugFor('Իրազեկ քաղաքացիների միավորում')).toBe('irazek-qaghaqatsineri-miavorum');
    expect(slugFor('«Իրազեկ քաղաքացիների միավորում»')).toBe('irazek-qaghaqatsineri-miavorum');
    const s = slugFor('Ծաղկաձոր Ճանապարհ Ջերմուկ Ձոր Չարենց Փարպի Թալին Ցախկաձոր Ղազար Ուրց և');
    expect(s).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(s.startsWith('tsaghkadzor-chanaparh-jermuk-dzor-charents-parpi-talin')).toBe(true);
  });

  it('transliterates Russian, drops quotes, lower-cases English', () => {
    expect(slugFor('Правозащитный центр «Мемориал»')).toBe('pravozashchitnyy-centr-memorial');
    expect(slugFor('Helsinki Citizens’ Assembly–Vanadzor')).toBe('helsinki-citizens-assembly-vanadzor');
  });

  it('is bounded, URL-safe, and never empty', () => {
    expect(slugFor('!!!')).toBe('org');
    expect(slugFor('')).toBe('org');
    const long = slugFor('Very long organization name '.repeat(10));
    expect(long.length).toBeLessThanOrEqual(60);
    expect(long).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(slugFor('<script>alert(1)</script> "x" & y/../z')).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});

describe('websiteDomain / domainsMatch (verification by e-mail domain)', () => {
  it('takes the host of an https website, lower-case, without www. or the DNS root dot', () => {
    expect(websiteDomain('https://ngo.am')).toBe('ngo.am');
    expect(websiteDomain('https://WWW.NGO.AM/about?x=1')).toBe('ngo.am');
    expect(websiteDomain('https://ngo.am:8443/')).toBe('ngo.am');
    // The fully qualified form names the same host (the root label): treated as equal.
    expect(websiteDomain('https://ngo.am.')).toBe('ngo.am');
    expect(websiteDomain('http://ngo.am')).toBeNull();
    expect(websiteDomain('javascript:alert(1)')).toBeNull();
    expect(websiteDomain('not a url')).toBeNull();
    expect(websiteDomain(null)).toBeNull();
    expect(emailDomain('X@NGO.AM')).toBe('ngo.am');
  });

  it('matches the exact domain only; look-alikes do not match', () => {
    expect(domainsMatch('x@ngo.am', 'https://ngo.am')).toBe(true);
    expect(domainsMatch('x@ngo.am', 'https://www.ngo.am')).toBe(true);
    for (const website of [
      'https://ngo.am.evil.com',
      'https://ngo-am.com',
      'https://evilngo.am',
      'https://sub.ngo.am',
      'https://am',
      'https://ngo.am..',
      'https://xn--ng-jlc.am', // "ngо.am" with a Cyrillic о (IDNA form)
      'https://ngо.am',
      'http://ngo.am',
      '',
    ]) {
      expect(domainsMatch('x@ngo.am', website), website).toBe(false);
    }
    for (const email of ['x@ngo.am.evil.com', 'x@evilngo.am', 'x@sub.ngo.am', 'x@www.ngo.am', 'x@ngo-am.com', 'ngo.am@evil.com']) {
      expect(domainsMatch(email, 'https://ngo.am'), email).toBe(false);
    }
  });
});
