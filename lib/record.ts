// The public record (PRODUCT.md, Public record; R6): an RFC 8785 canonical JSON document of the published
// statement — texts, the version hash, signatories from binding snapshots with method and dates, `published_at`,
// `display_date`, corrections — numbered by `record_seq`, hashed with SHA-256 and signed with Ed25519. Every revision
// is kept (public_records) at a stable URL. Building reads only bindings (never live profiles) and carries no e-mail
// address or user id (I13).
import { and, asc, eq, inArray } from 'drizzle-orm';
import crypto from 'node:crypto';
import type { DbOrTx, Tx } from '@/db';
import {
  publicRecords,
  publications,
  signatureBindings,
  signatureEvents,
  signatures,
  statementCorrections,
  statementInitiators,
  statements,
  statementVersions,
  type BindingSnapshot,
  type SignatureMethod,
} from '@/db/schema';
import { canonicalJson, sha256Hex } from './canonical';
import { LOCALES } from './i18n';
import { publicKeys, signBytes } from './record-keys';
import type { VersionTexts } from './signing';

export type RecordSignatory = {
  id: string;
  kind: 'organization' | 'individual';
  names: Record<string, string>;
  city: string | null;
  country: string | null;
  verified: boolean;
  title: string | null;
  person_name: string | null;
  group: string | null;
  initiator: boolean;
  method: SignatureMethod;
  /** When it was bound to the published version; null for imported signatures (the source gives no time). */
  signed_at: string | null;
  /** Joined after publication: true with `signed_at` as its date, or `joined_later` for imports without a date. */
  joined_after_publication: boolean;
  status: 'signed' | 'withdrawn';
  withdrawn_at: string | null;
  withdraw_reason: string | null;
};

export type RecordDocument = {
  v: 1;
  kind: 'undersigned.statement-record';
  statement: string;
  slug: string;
  record_seq: number;
  state: 'published' | 'closed' | 'withdrawn';
  published_at: string;
  display_date: string;
  closed_at: string | null;
  join_until: string | null;
  withdrawn: { at: string; reason: string } | null;
  primary_lang: string;
  source_url: string | null;
  list_order: 'joined' | 'alphabetical';
  version: { number: number; content_sha256: string; langs: string[] };
  texts: VersionTexts;
  signatories: RecordSignatory[];
  corrections: { lang: string; body: string; at: string }[];
};

/** What /data/{slug}/record.json serves and the verify page accepts. */
export type SignedRecord = { record: RecordDocument; sha256: string; key_id: string; signature: string };

export function hashRecord(record: unknown): { canonical: string; sha256: string } {
  const canonical = canonicalJson(record);
  return { canonical, sha256: sha256Hex(Buffer.from(canonical, 'utf8')) };
}

/** The signatories as the public sees them, in "joined" order (initiators first, then by first binding). */
export async function recordSignatories(
  db: DbOrTx,
  pub: { statementId: string; versionNumber: number; publishedAt: Date; sourceUrl: string | null },
): Promise<RecordSignatory[]> {
  const sigs = await db.select().from(signatures).where(eq(signatures.statementId, pub.statementId));
  if (sigs.length === 0) return [];
  const bindings = await db
    .select({ signatureId: signatureBindings.signatureId, seq: signatureBindings.seq, snapshot: signatureBindings.snapshot, signedAt: signatureBindings.signedAt })
    .from(signatureBindings)
    .where(and(eq(signatureBindings.statementId, pub.statementId), eq(signatureBindings.versionNumber, pub.versionNumber)))
    .orderBy(asc(signatureBindings.seq));
  const events = await db
    .select({ signatureId: signatureEvents.signatureId, seq: signatureEvents.seq, kind: signatureEvents.kind, reason: signatureEvents.reason, at: signatureEvents.at })
    .from(signatureEvents)
    .where(inArray(signatureEvents.signatureId, sigs.map((s) => s.id)))
    .orderBy(asc(signatureEvents.seq));
  const initiators = await db
    .select({ orgId: statementInitiators.orgId, role: statementInitiators.role, joinedAt: statementInitiators.joinedAt })
    .from(statementInitiators)
    .where(eq(statementInitiators.statementId, pub.statementId));
  const initiatorRank = new Map(
    initiators.sort((a, b) => (a.role === b.role ? a.joinedAt.getTime() - b.joinedAt.getTime() : a.role === 'primary' ? -1 : 1)).map((i, n) => [i.orgId, n]),
  );
  const first = new Map<string, { seq: number; signedAt: Date }>();
  const last = new Map<string, { snapshot: BindingSnapshot; signedAt: Date }>();
  for (const b of bindings) {
    if (!first.has(b.signatureId)) first.set(b.signatureId, { seq: b.seq, signedAt: b.signedAt });
    last.set(b.signatureId, { snapshot: b.snapshot, signedAt: b.signedAt });
  }
  const lastEvent = new Map<string, (typeof events)[number]>();
  for (const e of events) lastEvent.set(e.signatureId, e);
  const out: (RecordSignatory & { _rank: number; _seq: number })[] = [];
  for (const s of sigs) {
    const b = last.get(s.id);
    if (!b) continue; // never bound to the published version: not listed (awaiting re-confirmation)
    const ev = lastEvent.get(s.id);
    const withdrawn = ev?.kind === 'withdrawn';
    if (withdrawn && ev!.at.getTime() <= pub.publishedAt.getTime()) continue; // withdrawn before publication: off the list
    const imported = s.method === 'imported';
    const firstAt = first.get(s.id)!.signedAt;
    const snap = b.snapshot;
    const rank = s.orgId && initiatorRank.has(s.orgId) ? initiatorRank.get(s.orgId)! : Number.MAX_SAFE_INTEGER;
    out.push({
      id: s.id,
      kind: snap.individual ? 'individual' : 'organization',
      names: snap.names,
      city: snap.city,
      country: snap.country,
      verified: snap.verified,
      title: snap.title,
      person_name: snap.personName,
      group: snap.group ?? null,
      initiator: rank !== Number.MAX_SAFE_INTEGER,
      method: s.method,
      signed_at: imported ? null : firstAt.toISOString(),
      joined_after_publication: imported ? !!snap.joinedLater : firstAt.getTime() > pub.publishedAt.getTime(),
      status: withdrawn ? 'withdrawn' : 'signed',
      withdrawn_at: withdrawn ? ev!.at.toISOString() : null,
      withdraw_reason: withdrawn ? ev!.reason : null,
      _rank: rank,
      _seq: first.get(s.id)!.seq,
    });
  }
  out.sort((a, b) => a._rank - b._rank || a._seq - b._seq);
  return out.map(({ _rank, _seq, ...r }) => (void _rank, void _seq, r));
}

/** The name shown for a signatory in a language: its translation, else the name as registered or printed. */
export const signatoryName = (s: Pick<RecordSignatory, 'names'>, lang: string): string => s.names[lang] ?? s.names.default ?? Object.values(s.names)[0] ?? '';

/** Alphabetical positions per language, ignoring quote marks and punctuation («», "…"), sorted with Intl.Collator. */
export function alphabeticalPositions(list: RecordSignatory[], langs: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const lang of langs) {
    let collator: Intl.Collator;
    try {
      collator = new Intl.Collator(lang, { ignorePunctuation: true, sensitivity: 'base', numeric: true });
    } catch {
      collator = new Intl.Collator('und', { ignorePunctuation: true, sensitivity: 'base', numeric: true });
    }
    const key = (s: RecordSignatory) => signatoryName(s, lang).replace(/["'«»„“”‟‘’‚‛‹›`´]/g, '').trim();
    out[lang] = [...list].sort((a, b) => collator.compare(key(a), key(b)) || a.id.localeCompare(b.id)).map((s) => s.id);
  }
  return out;
}

type PublicationRow = typeof publications.$inferSelect;

async function buildRecord(tx: DbOrTx, pub: PublicationRow, seq: number): Promise<RecordDocument> {
  const [st] = await tx.select({ state: statements.state, primaryLang: statements.primaryLang }).from(statements).where(eq(statements.id, pub.statementId));
  const [ver] = await tx.select().from(statementVersions).where(eq(statementVersions.id, pub.versionId));
  const texts = (JSON.parse(ver!.canonical) as { texts: VersionTexts }).texts;
  const corrections = await tx
    .select({ lang: statementCorrections.lang, body: statementCorrections.body, at: statementCorrections.createdAt })
    .from(statementCorrections)
    .where(eq(statementCorrections.statementId, pub.statementId))
    .orderBy(asc(statementCorrections.seq));
  const state = st!.state === 'closed' || st!.state === 'withdrawn' ? st!.state : 'published';
  return {
    v: 1,
    kind: 'undersigned.statement-record',
    statement: pub.statementId,
    slug: pub.slug,
    record_seq: seq,
    state,
    published_at: pub.publishedAt.toISOString(),
    display_date: pub.displayDate,
    closed_at: pub.closedAt?.toISOString() ?? null,
    join_until: pub.joinUntil?.toISOString() ?? null,
    withdrawn: pub.withdrawnAt ? { at: pub.withdrawnAt.toISOString(), reason: pub.withdrawReason ?? '' } : null,
    primary_lang: st!.primaryLang,
    source_url: pub.sourceUrl,
    list_order: pub.listOrder,
    version: { number: ver!.number, content_sha256: ver!.contentSha256, langs: ver!.langs },
    texts,
    signatories: await recordSignatories(tx, pub),
    corrections: corrections.map((c) => ({ lang: c.lang, body: c.body, at: c.at.toISOString() })),
  };
}

/**
 * Re-issue the record of a published statement when what it says changed (a signature, a withdrawal, a correction,
 * closing…): called inside the transaction of that change, so the record and the change commit together. The
 * publication row is locked, so concurrent changes issue consecutive `record_seq`s. Returns the new seq, or null
 * when nothing public changed.
 */
export async function refreshRecord(tx: Tx, statementId: string, now: Date): Promise<number | null> {
  const [pub] = await tx.select().from(publications).where(eq(publications.statementId, statementId)).for('update');
  if (!pub) return null;
  const seq = pub.recordSeq + 1;
  const record = await buildRecord(tx, pub, seq);
  if (pub.recordSeq > 0) {
    const [prev] = await tx
      .select({ canonical: publicRecords.canonical })
      .from(publicRecords)
      .where(and(eq(publicRecords.statementId, statementId), eq(publicRecords.seq, pub.recordSeq)));
    if (prev) {
      const before = JSON.parse(prev.canonical) as RecordDocument;
      if (canonicalJson({ ...before, record_seq: 0 }) === canonicalJson({ ...record, record_seq: 0 })) return null;
    }
  }
  const { canonical, sha256 } = hashRecord(record);
  const { keyId, signature } = signBytes(canonical);
  await tx.insert(publicRecords).values({ statementId, seq, canonical, sha256, keyId, signature, createdAt: now });
  const langs = [...new Set([...record.version.langs, ...LOCALES])];
  await tx
    .update(publications)
    .set({ recordSeq: seq, positions: alphabeticalPositions(record.signatories, langs), updatedAt: now })
    .where(eq(publications.statementId, statementId));
  return seq;
}

export function envelopeOf(row: { canonical: string; sha256: string; keyId: string; signature: string }): SignedRecord {
  return { record: JSON.parse(row.canonical) as RecordDocument, sha256: row.sha256, key_id: row.keyId, signature: row.signature };
}

// ---- verification (the verify page; never fetches anything) ----

export type VerifyResult = {
  ok: boolean;
  hashOk: boolean;
  computedSha256: string | null;
  signatureOk: boolean;
  key: { id: string; status: 'current' | 'retired' | 'unknown' };
  error?: 'unparseable' | 'shape';
  live?: { seq: number; slug: string; sameAsLive: boolean; differences: string[] };
};

/** Paths (a.b[3].c) where two JSON values differ, at most `limit` of them. */
export function jsonDifferences(a: unknown, b: unknown, limit = 20, at = ''): string[] {
  if (canonicalJson(a ?? null) === canonicalJson(b ?? null)) return [];
  const isObj = (v: unknown) => v !== null && typeof v === 'object';
  if (!isObj(a) || !isObj(b) || Array.isArray(a) !== Array.isArray(b)) return [at || '(root)'];
  const out: string[] = [];
  const keys = Array.isArray(a)
    ? Array.from({ length: Math.max((a as unknown[]).length, (b as unknown[]).length) }, (_, i) => String(i))
    : [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])].sort();
  for (const k of keys) {
    const path = Array.isArray(a) ? `${at}[${k}]` : at ? `${at}.${k}` : k;
    out.push(...jsonDifferences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], limit - out.length, path));
    if (out.length >= limit) break;
  }
  return out.slice(0, limit);
}

/** Check a pasted signed record: the hash of its re-canonicalized body, and its Ed25519 signature under the named key. */
export function verifyEnvelope(input: unknown): VerifyResult {
  const bad = (error: VerifyResult['error']): VerifyResult => ({ ok: false, hashOk: false, computedSha256: null, signatureOk: false, key: { id: '', status: 'unknown' }, error });
  if (!input || typeof input !== 'object') return bad('shape');
  const env = input as Partial<SignedRecord>;
  if (!env.record || typeof env.record !== 'object' || typeof env.sha256 !== 'string' || typeof env.key_id !== 'string' || typeof env.signature !== 'string') return bad('shape');
  let canonical: string;
  try {
    canonical = canonicalJson(env.record);
  } catch {
    return bad('shape');
  }
  const computed = sha256Hex(Buffer.from(canonical, 'utf8'));
  const hashOk = computed === env.sha256.toLowerCase();
  const key = publicKeys().find((k) => k.keyId === env.key_id);
  let signatureOk = false;
  if (key) {
    try {
      const sig = Buffer.from(env.signature, 'base64');
      signatureOk = sig.length === 64 && crypto.verify(null, Buffer.from(canonical, 'utf8'), key.publicKey, sig);
    } catch {
      signatureOk = false;
    }
  }
  return { ok: hashOk && signatureOk, hashOk, computedSha256: computed, signatureOk, key: { id: env.key_id, status: key?.status ?? 'unknown' } };
}
