// A published statement for tests of public outputs (feeds, data, PDF, embed, pages), made the way people make
// one: an initiating organization writes the text (and translations), participating organizations are invited and
// accept, the initiator admin freezes version 1, every organization signs it, and the initiator publishes it
// (publishStatement). No direct inserts.
import type { ListOrder } from '@/db/schema';
import type { DocJSON } from '../editor/extensions';
import type { OrgProfileInput } from '../orgs';
import { publishStatement } from '../publishing';
import { freezeVersion, signForOrganization } from '../signing';
import { addTranslation, createStatement, saveText } from '../statements';
import { ctxFor } from './db';
import { participate } from './invitations';
import { seedOrg, type SeededOrg } from './orgs';
import { docOf } from './review';

export type PublishedOpts = {
  /** Organizations listed, the initiator included (default 1: the initiator alone). */
  signatories?: number;
  /** The title in the primary language. */
  title?: string;
  /** The text in the primary language: a document, or paragraphs of plain text. */
  body?: DocJSON | string[];
  /** The primary language (default 'hy'). */
  lang?: string;
  /** Translations included in the published version, by language. */
  translations?: Record<string, { title: string; body?: DocJSON | string[] }>;
  /** Profiles of the listed organizations, by position (0 = the initiator): names, city, country. */
  profiles?: Partial<OrgProfileInput>[];
  /** Titles the signers give, by position (0 = the initiator). */
  signerTitles?: (string | null)[];
  slug?: string;
  displayDate?: string;
  listOrder?: ListOrder;
  joinUntil?: Date | null;
  /** Runs after every organization signed and before publishing (e.g. a withdrawal before publication). */
  beforePublish?: (s: { statementId: string; orgs: SeededOrg[] }) => Promise<void>;
};

export type Published = {
  statementId: string;
  slug: string;
  recordSeq: number;
  /** The initiator. */
  init: SeededOrg;
  /** Every listed organization in signing order (orgs[0] = the initiator). */
  orgs: SeededOrg[];
};

let counter = 0;
const asDoc = (b: DocJSON | string[] | undefined, fallback: string): DocJSON =>
  Array.isArray(b) ? docOf(...b) : (b ?? docOf(fallback));

/** A statement published through publishStatement, signed by `signatories` organizations (the initiator first). */
export async function publishedStatement(opts: PublishedOpts = {}): Promise<Published> {
  const n = Math.max(1, opts.signatories ?? 1);
  const lang = opts.lang ?? 'hy';
  const orgs: SeededOrg[] = [];
  for (let i = 0; i < n; i++)
    orgs.push(await seedOrg(opts.profiles?.[i] ? { profile: opts.profiles[i] } : {}));
  const init = orgs[0]!;
  const c = ctxFor(init.owner);
  const title = opts.title ?? `Հայտարարություն ${++counter}`;
  const { id } = await createStatement(c, {
    orgId: init.org.id,
    title,
    primaryLang: lang,
    summary: null,
    timeZone: 'Asia/Yerevan',
  });
  await saveText(c, {
    statementId: id,
    lang,
    baseVersion: 0,
    title,
    doc: asDoc(opts.body, 'Մենք կոչ ենք անում հրապարակել օրենքի նախագիծը։'),
  });
  for (const [l, t] of Object.entries(opts.translations ?? {})) {
    await addTranslation(c, { statementId: id, lang: l, title: t.title });
    await saveText(c, {
      statementId: id,
      lang: l,
      baseVersion: 0,
      title: t.title,
      doc: asDoc(t.body, `${t.title}.`),
    });
  }
  for (const org of orgs.slice(1)) await participate(id, org, { by: init.admin });
  await freezeVersion(ctxFor(init.admin), { statementId: id });
  for (const [i, org] of orgs.entries()) {
    await signForOrganization(ctxFor(org.owner), {
      statementId: id,
      orgId: org.org.id,
      version: 1,
      title: opts.signerTitles?.[i] ?? null,
    });
  }
  if (opts.beforePublish) await opts.beforePublish({ statementId: id, orgs });
  const slug = opts.slug ?? `statement-${id.slice(0, 8)}`;
  const r = await publishStatement(ctxFor(init.owner), {
    statementId: id,
    slug,
    displayDate: opts.displayDate ?? '2024-05-01',
    listOrder: opts.listOrder ?? 'joined',
    joinUntil: opts.joinUntil ?? null,
  });
  return { statementId: id, slug: r.slug, recordSeq: r.recordSeq, init, orgs };
}
