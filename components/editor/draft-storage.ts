// Unsaved text kept in the browser per statement and language until the server accepts it (PRODUCT.md,
// Draft): a closed tab, a crash or a lost connection loses nothing. Also the "mine" text set aside after
// "take theirs", until the person dismisses it.
import { type DocJSON, sameDoc } from '@/lib/editor/extensions';

export type LocalDraft = { baseVersion: number; title: string; doc: DocJSON; at: number };

const key = (kind: 'draft' | 'aside', statementId: string, lang: string) =>
  `undersigned:${kind}:${statementId}:${lang}`;

function read(k: string): LocalDraft | null {
  try {
    const raw = window.localStorage.getItem(k);
    if (!raw) return null;
    const v = JSON.parse(raw) as LocalDraft;
    return v &&
      typeof v.baseVersion === 'number' &&
      typeof v.title === 'string' &&
      v.doc &&
      typeof v.doc === 'object'
      ? v
      : null;
  } catch {
    return null;
  }
}

function write(k: string, v: LocalDraft | null): boolean {
  try {
    if (v) window.localStorage.setItem(k, JSON.stringify(v));
    else window.localStorage.removeItem(k);
    return true;
  } catch {
    return false; // storage full or disabled: the server save still runs
  }
}

export const localDraft = {
  read: (s: string, l: string) => read(key('draft', s, l)),
  write: (s: string, l: string, v: LocalDraft | null) => write(key('draft', s, l), v),
};
export const asideDraft = {
  read: (s: string, l: string) => read(key('aside', s, l)),
  write: (s: string, l: string, v: LocalDraft | null) => write(key('aside', s, l), v),
};

export const sameText = (a: { title: string; doc: DocJSON }, b: { title: string; doc: DocJSON }) =>
  a.title === b.title && sameDoc(a.doc, b.doc);
