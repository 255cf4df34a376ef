// One normalization for organization names, reused wherever names are compared (duplicates warning,
// directory search, later signatory de-duplication): NFC, quote marks, case and spacing ignored.
import { slugify } from 'transliteration';

const QUOTES = /["'«»„“”‟‘’‚‛‹›`´]/g;

export function normalizeOrgName(name: string): string {
  return name
    .normalize('NFC')
    .replace(QUOTES, '')
    .toLocaleLowerCase('und')
    .replace(/[\s\u00A0\u2000-\u200B]+/g, ' ')
    .trim();
}

// Armenian letters whose default transliteration inserts apostrophes (which slugify turns into hyphens).
const ARMENIAN: Record<string, string> = {
  ք: 'q', Ք: 'Q', փ: 'p', Փ: 'P', թ: 't', Թ: 'T', ց: 'ts', Ց: 'Ts', չ: 'ch', Չ: 'Ch', ճ: 'ch', Ճ: 'Ch',
  ծ: 'ts', Ծ: 'Ts', ձ: 'dz', Ձ: 'Dz', ջ: 'j', Ջ: 'J', ու: 'u', Ու: 'U', և: 'ev', ը: 'y', Ը: 'Y', ղ: 'gh', Ղ: 'Gh',
};

/** A readable ASCII slug for URLs (Armenian and Cyrillic transliterated). */
export function slugFor(name: string): string {
  let s = name.normalize('NFC').replace(QUOTES, '');
  for (const [from, to] of Object.entries(ARMENIAN)) s = s.split(from).join(to);
  const slug = slugify(s, { lowercase: true, separator: '-', trim: true }).replace(/[^a-z0-9-]/g, '').replace(/-+/g, '-').replace(/^-|-$/g, '');
  return slug.slice(0, 60).replace(/-$/, '') || 'org';
}

/** Levenshtein distance, bounded (returns max+1 early when exceeded). */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/** Host of an https website, lower-case, without a leading "www.". */
export function websiteDomain(website: string | null | undefined): string | null {
  if (!website) return null;
  try {
    const u = new URL(website);
    if (u.protocol !== 'https:') return null;
    return u.hostname.toLowerCase().replace(/^www\./, '').replace(/\.$/, '');
  } catch {
    return null;
  }
}

export const emailDomain = (email: string): string => email.slice(email.lastIndexOf('@') + 1).toLowerCase().replace(/\.$/, '');

/** Verification by e-mail: the domain must equal the website's (no suffix or look-alike matches). */
export const domainsMatch = (email: string, website: string | null | undefined): boolean => {
  const w = websiteDomain(website);
  return !!w && emailDomain(email) === w;
};
