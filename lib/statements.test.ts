// Statements and their drafts against the real PostgreSQL: creating, saving with optimistic concurrency (I6:
// a stale lock_version is refused with the current text, never applied), revisions and their audit events,
// restore, translations aligned with the primary text, the editable states, and access (I1/I2: anyone outside the
// initiating organizations gets NOT_FOUND, signed-out callers UNAUTHENTICATED). Every denial asserts that the
// domain tables did not change (digestDomain) and is paired with an allowed twin.
import { setState as setStatementState } from './testing/review';
import crypto from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import {
  auditEvents,
  statementInitiators,
  statementRevisions,
  statements,
  statementTexts,
  type StatementState,
} from '@/db/schema';
import { verifyChain } from './audit';
import type { Actor, Ctx } from './context';
import { EMPTY_DOC, type DocJSON } from './editor/extensions';
import { AppError } from './errors';
import { removeMember } from './members';
import {
  addTranslation,
  ConflictError,
  createStatement,
  getRevision,
  getStatementOverview,
  getTextForEditing,
  InvalidDocumentError,
  listMyStatements,
  listRevisions,
  markTranslationUpToDate,
  restoreRevision,
  saveText,
  updateStatementDetails,
} from './statements';
import { count, ctxFor, digestDomain } from './testing/db';
import { seedOrg, type SeededOrg } from './testing/orgs';

// ---- fixtures -------------------------------------------------------------------------------------------

const db = () => getDb();
const para = (text: string): DocJSON => ({
  type: 'doc',
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
});
const T0 = new Date('2026-03-01T10:00:00.000Z');
const at = (actor: Actor | null, minutes = 0): Ctx =>
  ctxFor(actor, { now: new Date(T0.getTime() + minutes * 60_000) });
const localPart = (a: Actor) => a.email.split('@')[0]!;

let s: SeededOrg; // initiator organization X: owner, admin, member; outsider = member of nothing
let other: SeededOrg; // an unrelated organization

beforeAll(async () => {
  [s, other] = await Promise.all([seedOrg({ member2: true }), seedOrg()]);
});

async function newStatement(by: Actor = s.member, lang = 'en', title = 'Open letter'): Promise<string> {
  const { id } = await createStatement(at(by), {
    orgId: s.org.id,
    title,
    primaryLang: lang,
    timeZone: 'Asia/Yerevan',
    summary: 'About it',
  });
  return id;
}

async function textRow(id: string, lang = 'en') {
  const [r] = await db()
    .select()
    .from(statementTexts)
    .where(and(eq(statementTexts.statementId, id), eq(statementTexts.lang, lang)));
  return r;
}
const revisionsOf = (id: string, lang = 'en') =>
  db()
    .select()
    .from(statementRevisions)
    .where(and(eq(statementRevisions.statementId, id), eq(statementRevisions.lang, lang)))
    .orderBy(asc(statementRevisions.version));
const eventsOf = (id: string) =>
  db()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.chainType, 'statement'), eq(auditEvents.chainId, id)))
    .orderBy(asc(auditEvents.seq));
const eventTypes = async (id: string) => (await eventsOf(id)).map((e) => e.type);
const setState = (id: string, state: StatementState) => setStatementState(id, state);

type Outcome = { ok: true; value: unknown } | { ok: false; code: string; error: AppError };
async function outcomeOf(fn: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    if (e instanceof AppError) return { ok: false, code: e.code, error: e };
    throw e;
  }
}

/** Refused with `code`, and nothing in the domain tables changed. */
async function expectDenied(fn: () => Promise<unknown>, code: string): Promise<AppError> {
  const before = await digestDomain();
  const o = await outcomeOf(fn);
  expect(o.ok ? 'allowed' : o.code).toBe(code);
  expect(await digestDomain()).toBe(before);
  return (o as { error: AppError }).error;
}

/** Accepted, and (for writes) the domain tables changed. */
async function expectAllowed<T>(fn: () => Promise<T>, opts: { writes: boolean }): Promise<T> {
  const before = await digestDomain();
  const value = await fn();
  if (opts.writes) expect(await digestDomain()).not.toBe(before);
  else expect(await digestDomain()).toBe(before);
  return value;
}

async function expectChainOk(id: string) {
  expect(await verifyChain(db(), { type: 'statement', id })).toEqual([]);
}

// ---- create ---------------------------------------------------------------------------------------------

describe('createStatement', () => {
  it('a member of X creates a statement for X: the statement, X as primary initiator, an empty primary text, one event', async () => {
    const id = await expectAllowed(() => newStatement(s.member, 'hy', 'Բաց նամակ'), { writes: true });
    const [st] = await db().select().from(statements).where(eq(statements.id, id));
    expect(st).toMatchObject({
      state: 'draft',
      primaryLang: 'hy',
      summary: 'About it',
      timeZone: 'Asia/Yerevan',
      createdBy: s.member.userId,
      lastEditedBy: s.member.userId,
    });
    expect(st!.createdAt.toISOString()).toBe(T0.toISOString());
    expect(
      await db()
        .select({ orgId: statementInitiators.orgId, role: statementInitiators.role })
        .from(statementInitiators)
        .where(eq(statementInitiators.statementId, id)),
    ).toEqual([{ orgId: s.org.id, role: 'primary' }]);
    const text = await textRow(id, 'hy');
    expect(text).toMatchObject({
      title: 'Բաց նամակ',
      doc: EMPTY_DOC,
      lockVersion: 0,
      alignedPrimaryVersion: null,
      updatedBy: s.member.userId,
    });
    const events = await eventsOf(id);
    expect(events.map((e) => [e.seq, e.type, e.actorUserId, e.data])).toEqual([
      [
        1,
        'statement.created',
        s.member.userId,
        { orgId: s.org.id, primaryLang: 'hy', timeZone: 'Asia/Yerevan' },
      ],
    ]);
    expect(await revisionsOf(id, 'hy')).toEqual([]);
    await expectChainOk(id);
  });

  it('admins and owners of X may too', async () => {
    for (const who of [s.admin, s.owner]) {
      const id = await expectAllowed(() => newStatement(who), { writes: true });
      expect((await textRow(id))!.updatedBy).toBe(who.userId);
    }
  });

  it('a non-member of X gets NOT_FOUND (the same for an organization that does not exist); nothing written', async () => {
    const input = { orgId: s.org.id, title: 'Not mine', primaryLang: 'en', timeZone: 'UTC' };
    const before = await count('statements');
    await expectDenied(() => createStatement(at(other.member), input), 'NOT_FOUND');
    await expectDenied(() => createStatement(at(other.owner), input), 'NOT_FOUND');
    await expectDenied(() => createStatement(at(s.outsider), input), 'NOT_FOUND');
    await expectDenied(
      () => createStatement(at(s.member), { ...input, orgId: crypto.randomUUID() }),
      'NOT_FOUND',
    );
    await expectDenied(() => createStatement(at(s.member), { ...input, orgId: 'not-a-uuid' }), 'NOT_FOUND');
    await expectDenied(() => createStatement(at(null), input), 'UNAUTHENTICATED');
    expect(await count('statements')).toBe(before);
    // Twin: the same person creates for their own organization.
    const { id } = await expectAllowed(
      () => createStatement(at(other.member), { ...input, orgId: other.org.id }),
      { writes: true },
    );
    expect(await count('statements')).toBe(before + 1);
    expect(
      (await db().select().from(statementInitiators).where(eq(statementInitiators.statementId, id)))[0]!
        .orgId,
    ).toBe(other.org.id);
  });
});

// ---- saving ---------------------------------------------------------------------------------------------

describe('saveText', () => {
  it('each accepted save increments the version and writes one revision and exactly one draft.saved event', async () => {
    const id = await newStatement();
    const d1 = para('one two three');
    const r1 = await expectAllowed(
      () =>
        saveText(at(s.member, 1), {
          statementId: id,
          lang: 'en',
          baseVersion: 0,
          title: 'Open letter',
          doc: d1,
        }),
      { writes: true },
    );
    expect(r1).toEqual({ version: 1, savedAt: '2026-03-01T10:01:00.000Z', changed: true });
    const d2 = para('one two four');
    const r2 = await saveText(at(s.admin, 2), {
      statementId: id,
      lang: 'en',
      baseVersion: 1,
      title: 'Open letter (v2)',
      doc: d2,
    });
    expect(r2).toEqual({ version: 2, savedAt: '2026-03-01T10:02:00.000Z', changed: true });

    expect(await textRow(id)).toMatchObject({
      title: 'Open letter (v2)',
      doc: d2,
      lockVersion: 2,
      updatedBy: s.admin.userId,
    });
    expect((await textRow(id))!.updatedAt.toISOString()).toBe('2026-03-01T10:02:00.000Z');
    const [st] = await db().select().from(statements).where(eq(statements.id, id));
    expect([st!.lastEditedAt.toISOString(), st!.lastEditedBy]).toEqual([
      '2026-03-01T10:02:00.000Z',
      s.admin.userId,
    ]);

    const revs = await revisionsOf(id);
    expect(
      revs.map((r) => [r.version, r.kind, r.title, r.doc, r.restoredFrom, r.createdBy, r.bytes]),
    ).toEqual([
      [
        1,
        'save',
        'Open letter',
        d1,
        null,
        s.member.userId,
        new TextEncoder().encode(JSON.stringify(d1)).length,
      ],
      [
        2,
        'save',
        'Open letter (v2)',
        d2,
        null,
        s.admin.userId,
        new TextEncoder().encode(JSON.stringify(d2)).length,
      ],
    ]);
    expect([revs[0]!.insertedWords, revs[0]!.deletedWords]).toEqual([3, 0]);

    const events = await eventsOf(id);
    expect(events.map((e) => e.type)).toEqual(['statement.created', 'draft.saved', 'draft.saved']);
    expect(events[1]!.data).toEqual({
      lang: 'en',
      version: 1,
      revisionId: revs[0]!.id,
      titleChanged: false,
      insertedWords: 3,
      deletedWords: 0,
    });
    expect(events[2]!.data).toEqual({
      lang: 'en',
      version: 2,
      revisionId: revs[1]!.id,
      titleChanged: true,
      insertedWords: revs[1]!.insertedWords,
      deletedWords: revs[1]!.deletedWords,
    });
    expect(events[2]!.actorUserId).toBe(s.admin.userId);
    await expectChainOk(id);
  });

  it('an identical re-save is a no-op: no revision, no event, same version (also from a stale base, and with keys reordered)', async () => {
    const id = await newStatement();
    const d = para('same');
    await saveText(at(s.member, 1), {
      statementId: id,
      lang: 'en',
      baseVersion: 0,
      title: 'Open letter',
      doc: d,
    });
    for (const baseVersion of [1, 0]) {
      const r = await expectAllowed(
        () =>
          saveText(at(s.admin, 5), {
            statementId: id,
            lang: 'en',
            baseVersion,
            title: 'Open letter',
            doc: para('same'),
          }),
        { writes: false },
      );
      expect(r).toEqual({ version: 1, savedAt: '2026-03-01T10:01:00.000Z', changed: false });
    }
    const reordered = {
      content: [{ content: [{ text: 'same', type: 'text' }], type: 'paragraph' }],
      type: 'doc',
    };
    expect(
      await expectAllowed(
        () =>
          saveText(at(s.member, 6), {
            statementId: id,
            lang: 'en',
            baseVersion: 1,
            title: 'Open letter',
            doc: reordered,
          }),
        { writes: false },
      ),
    ).toMatchObject({
      version: 1,
      changed: false,
    });
    expect((await revisionsOf(id)).length).toBe(1);
    expect(await eventTypes(id)).toEqual(['statement.created', 'draft.saved']);
    // Twin: a different title with the same document is a change.
    expect(
      await saveText(at(s.member, 7), {
        statementId: id,
        lang: 'en',
        baseVersion: 1,
        title: 'Renamed',
        doc: d,
      }),
    ).toMatchObject({ version: 2, changed: true });
  });

  it('a stale base is refused with ConflictError carrying the current text, version and who saved it; nothing written', async () => {
    const id = await newStatement();
    const current = para('saved by the admin');
    await saveText(at(s.admin, 3), {
      statementId: id,
      lang: 'en',
      baseVersion: 0,
      title: 'Admin title',
      doc: current,
    });
    for (const baseVersion of [0, 2, 99]) {
      const e = await expectDenied(
        () =>
          saveText(at(s.member, 4), {
            statementId: id,
            lang: 'en',
            baseVersion,
            title: 'Mine',
            doc: para('mine'),
          }),
        'CONFLICT',
      );
      expect(e).toBeInstanceOf(ConflictError);
      expect(e.message).toBe('errors.draftConflict');
      expect((e as ConflictError).current).toEqual({
        version: 1,
        title: 'Admin title',
        doc: current,
        updatedAt: '2026-03-01T10:03:00.000Z',
        updatedByName: localPart(s.admin),
      });
    }
    expect((await textRow(id))!.doc).toEqual(current);
    expect((await revisionsOf(id)).length).toBe(1);
    // Twin: based on the current version, accepted.
    expect(
      await saveText(at(s.member, 5), {
        statementId: id,
        lang: 'en',
        baseVersion: 1,
        title: 'Mine',
        doc: para('mine'),
      }),
    ).toMatchObject({ version: 2, changed: true });
  });

  it('an invalid document is refused with InvalidDocumentError and its JSON path; nothing written', async () => {
    const id = await newStatement();
    const save = (doc: unknown, docBytes?: number) => () =>
      saveText(at(s.member), { statementId: id, lang: 'en', baseVersion: 0, title: 'T', doc, docBytes });
    const bad: [unknown, string, string, number?][] = [
      [
        {
          type: 'doc',
          content: [
            {
              type: 'paragraph',
              content: [
                {
                  type: 'text',
                  text: 'x',
                  marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }],
                },
              ],
            },
          ],
        },
        'badLink',
        '$.content[0].content[0].marks[0].attrs.href',
      ],
      // NUL in a link address: PostgreSQL cannot store it in jsonb, so it must be refused before the write.
      [
        {
          type: 'doc',
          content: [
            {
              type: 'paragraph',
              content: [
                {
                  type: 'text',
                  text: 'x',
                  marks: [{ type: 'link', attrs: { href: 'https://example.org/\u0000' } }],
                },
              ],
            },
          ],
        },
        'badLink',
        '$.content[0].content[0].marks[0].attrs.href',
      ],
      [
        {
          type: 'doc',
          content: [{ type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'x' }] }],
        },
        'badHeadingLevel',
        '$.content[0].attrs.level',
      ],
      [{ type: 'doc', content: [{ type: 'image' }] }, 'unknownNode', '$.content[0].type'],
      [
        {
          type: 'doc',
          content: [
            {
              type: 'orderedList',
              attrs: { type: { deep: {} } },
              content: [{ type: 'listItem', content: [{ type: 'paragraph' }] }],
            },
          ],
        },
        'attributeChanged',
        '$.content[0].attrs.type',
      ],
      [
        { type: 'doc', content: [{ type: 'listItem', content: [{ type: 'paragraph' }] }] },
        'invalidStructure',
        '$',
      ],
      [null, 'notAnObject', '$'],
      [para('small'), 'tooLarge', '$', 512 * 1024 + 1],
    ];
    for (const [doc, reason, path, bytes] of bad) {
      const e = await expectDenied(save(doc, bytes), 'INVALID_INPUT');
      expect(e).toBeInstanceOf(InvalidDocumentError);
      expect([(e as InvalidDocumentError).problem.reason, (e as InvalidDocumentError).problem.path]).toEqual([
        reason,
        path,
      ]);
      expect(e.fieldErrors).toEqual({ doc: [`errors.doc.${reason}`] });
    }
    expect(await textRow(id)).toMatchObject({ doc: EMPTY_DOC, lockVersion: 0 });
    // Twin.
    expect(await save(para('fine'), 100)()).toMatchObject({ version: 1, changed: true });
  });

  it('a language the statement does not have: NOT_FOUND, nothing written', async () => {
    const id = await newStatement();
    await expectDenied(
      () =>
        saveText(at(s.member), { statementId: id, lang: 'ru', baseVersion: 0, title: 'T', doc: para('x') }),
      'NOT_FOUND',
    );
    await expectAllowed(
      () =>
        saveText(at(s.member), { statementId: id, lang: 'en', baseVersion: 0, title: 'T', doc: para('x') }),
      { writes: true },
    );
  });
});

describe('concurrency (I6)', () => {
  it('20 parallel saves on the same lock_version: exactly 1 accepted, 19 ConflictError; 1 revision, 1 event, chain verifies', async () => {
    const id = await newStatement();
    const people = [s.member, s.admin, s.owner, s.member2!];
    const docs = Array.from({ length: 20 }, (_, i) => para(`version ${i} from a parallel editor`));
    const outcomes = await Promise.all(
      docs.map((doc, i) =>
        saveText(ctxFor(people[i % people.length]!), {
          statementId: id,
          lang: 'en',
          baseVersion: 0,
          title: `Title ${i}`,
          doc,
        }).then(
          (r) => ({ i, ok: true as const, r }),
          (e: unknown) => ({ i, ok: false as const, e }),
        ),
      ),
    );
    const accepted = outcomes.filter((o) => o.ok);
    const refused = outcomes.filter((o) => !o.ok);
    expect(accepted.length).toBe(1);
    expect(refused.length).toBe(19);
    const winner = accepted[0]!;
    expect(winner.r).toMatchObject({ version: 1, changed: true });
    for (const o of refused) {
      expect(o.e).toBeInstanceOf(ConflictError);
      // Each refusal carries the winner's text.
      expect((o.e as ConflictError).current).toMatchObject({
        version: 1,
        title: `Title ${winner.i}`,
        doc: docs[winner.i],
      });
    }
    expect(await textRow(id)).toMatchObject({
      title: `Title ${winner.i}`,
      doc: docs[winner.i],
      lockVersion: 1,
      updatedBy: people[winner.i % people.length]!.userId,
    });
    const revs = await revisionsOf(id);
    expect(revs.map((r) => [r.version, r.doc])).toEqual([[1, docs[winner.i]]]);
    const events = await eventsOf(id);
    expect(events.map((e) => e.type)).toEqual(['statement.created', 'draft.saved']);
    expect(events[1]!.data).toMatchObject({ version: 1, revisionId: revs[0]!.id });
    await expectChainOk(id);
  });

  it("A saves twice quickly, then B saves based on A's first version: conflict; B keeps their own text on top (keep mine)", async () => {
    const id = await newStatement();
    const a1 = para('A first');
    const a2 = para('A second');
    const b = para('B text');
    await saveText(at(s.member, 1), { statementId: id, lang: 'en', baseVersion: 0, title: 'T', doc: a1 });
    await saveText(at(s.member, 2), { statementId: id, lang: 'en', baseVersion: 1, title: 'T', doc: a2 });
    const e = (await expectDenied(
      () => saveText(at(s.admin, 3), { statementId: id, lang: 'en', baseVersion: 1, title: 'T', doc: b }),
      'CONFLICT',
    )) as ConflictError;
    expect(e.current).toEqual({
      version: 2,
      title: 'T',
      doc: a2,
      updatedAt: '2026-03-01T10:02:00.000Z',
      updatedByName: localPart(s.member),
    });
    // Keep mine: B saves again on top of the version the conflict reported.
    const r = await saveText(at(s.admin, 4), {
      statementId: id,
      lang: 'en',
      baseVersion: e.current.version,
      title: 'T',
      doc: b,
      resolution: 'keep_mine',
    });
    expect(r).toEqual({ version: 3, savedAt: '2026-03-01T10:04:00.000Z', changed: true });
    expect((await textRow(id))!.doc).toEqual(b);
    expect((await revisionsOf(id)).map((x) => [x.version, x.doc, x.createdBy])).toEqual([
      [1, a1, s.member.userId],
      [2, a2, s.member.userId],
      [3, b, s.admin.userId],
    ]);
    const events = await eventsOf(id);
    expect(events.map((x) => x.type)).toEqual([
      'statement.created',
      'draft.saved',
      'draft.saved',
      'draft.saved',
    ]);
    expect(events[3]!.data).toMatchObject({ version: 3, resolution: 'keep_mine' });
    expect(events[2]!.data).not.toHaveProperty('resolution');
    await expectChainOk(id);
  });
});

// ---- restore --------------------------------------------------------------------------------------------

describe('restoreRevision', () => {
  it('creates a new revision (kind restore, restoredFrom) and a draft.restored event; a stale base is refused', async () => {
    const id = await newStatement();
    const d1 = para('first');
    const d2 = para('second');
    await saveText(at(s.member, 1), { statementId: id, lang: 'en', baseVersion: 0, title: 'One', doc: d1 });
    await saveText(at(s.member, 2), { statementId: id, lang: 'en', baseVersion: 1, title: 'Two', doc: d2 });

    // Stale base: refused with the current text, nothing written.
    const e = (await expectDenied(
      () => restoreRevision(at(s.admin, 3), { statementId: id, lang: 'en', version: 1, baseVersion: 1 }),
      'CONFLICT',
    )) as ConflictError;
    expect(e).toBeInstanceOf(ConflictError);
    expect(e.current).toMatchObject({ version: 2, doc: d2, title: 'Two' });
    // A version that does not exist.
    await expectDenied(
      () => restoreRevision(at(s.admin, 3), { statementId: id, lang: 'en', version: 7, baseVersion: 2 }),
      'NOT_FOUND',
    );

    const r = await expectAllowed(
      () => restoreRevision(at(s.admin, 4), { statementId: id, lang: 'en', version: 1, baseVersion: 2 }),
      { writes: true },
    );
    expect(r).toEqual({ version: 3, savedAt: '2026-03-01T10:04:00.000Z', changed: true });
    expect(await textRow(id)).toMatchObject({
      title: 'One',
      doc: d1,
      lockVersion: 3,
      updatedBy: s.admin.userId,
    });
    const revs = await revisionsOf(id);
    expect(revs.map((x) => [x.version, x.kind, x.title, x.doc, x.restoredFrom])).toEqual([
      [1, 'save', 'One', d1, null],
      [2, 'save', 'Two', d2, null],
      [3, 'restore', 'One', d1, 1],
    ]);
    const events = await eventsOf(id);
    expect(events.map((x) => x.type)).toEqual([
      'statement.created',
      'draft.saved',
      'draft.saved',
      'draft.restored',
    ]);
    expect(events[3]!.data).toEqual({
      lang: 'en',
      version: 3,
      revisionId: revs[2]!.id,
      titleChanged: true,
      insertedWords: revs[2]!.insertedWords,
      deletedWords: revs[2]!.deletedWords,
      restoredFrom: 1,
    });
    // Restoring what is already the text changes nothing.
    expect(
      await expectAllowed(
        () => restoreRevision(at(s.admin, 5), { statementId: id, lang: 'en', version: 3, baseVersion: 3 }),
        { writes: false },
      ),
    ).toEqual({
      version: 3,
      savedAt: '2026-03-01T10:04:00.000Z',
      changed: false,
    });
    await expectChainOk(id);
  });
});

// ---- translations ---------------------------------------------------------------------------------------

describe('translations', () => {
  it('aligned on add, out of date after a primary save, marked up to date only against the current primary version', async () => {
    const id = await newStatement();
    const p1 = para('primary one');
    const p2 = para('primary two');
    await saveText(at(s.member, 1), { statementId: id, lang: 'en', baseVersion: 0, title: 'T', doc: p1 });

    expect(
      await expectAllowed(() => addTranslation(at(s.admin, 2), { statementId: id, lang: 'hy', title: 'Թ' }), {
        writes: true,
      }),
    ).toEqual({ lang: 'hy' });
    expect(await textRow(id, 'hy')).toMatchObject({
      title: 'Թ',
      doc: EMPTY_DOC,
      lockVersion: 0,
      alignedPrimaryVersion: 1,
      updatedBy: s.admin.userId,
    });
    expect((await eventsOf(id)).at(-1)).toMatchObject({
      type: 'translation.added',
      actorUserId: s.admin.userId,
      data: { lang: 'hy', alignedPrimaryVersion: 1 },
    });
    let editing = await getTextForEditing(at(s.member), id, 'hy');
    expect(editing.primaryChangedSince).toBeNull();
    expect(editing.primary).toEqual({ title: 'T', doc: p1, version: 1 });
    expect(editing.texts.map((x) => [x.lang, x.isPrimary, x.version, x.outOfDate])).toEqual([
      ['en', true, 1, false],
      ['hy', false, 0, false],
    ]);

    // Duplicate language (also the primary's): CONFLICT, nothing written.
    const dup = await expectDenied(
      () => addTranslation(at(s.member), { statementId: id, lang: 'hy', title: 'again' }),
      'CONFLICT',
    );
    expect(dup.message).toBe('errors.languageExists');
    await expectDenied(
      () => addTranslation(at(s.member), { statementId: id, lang: 'en', title: 'again' }),
      'CONFLICT',
    );

    // A primary save makes it out of date, with the change to show (from → to).
    await saveText(at(s.member, 3), { statementId: id, lang: 'en', baseVersion: 1, title: 'T', doc: p2 });
    editing = await getTextForEditing(at(s.member), id, 'hy');
    expect(editing.primaryChangedSince).toEqual({ from: p1, to: p2, fromVersion: 1 });
    expect(editing.texts.find((x) => x.lang === 'hy')!.outOfDate).toBe(true);

    // Marking against a stale primary version: CONFLICT, unchanged.
    const stale = await expectDenied(
      () => markTranslationUpToDate(at(s.member, 4), { statementId: id, lang: 'hy', primaryVersion: 1 }),
      'CONFLICT',
    );
    expect(stale.message).toBe('errors.primaryChangedMeanwhile');
    expect((await textRow(id, 'hy'))!.alignedPrimaryVersion).toBe(1);
    // The primary is not a translation.
    await expectDenied(
      () => markTranslationUpToDate(at(s.member, 4), { statementId: id, lang: 'en', primaryVersion: 2 }),
      'INVALID_INPUT',
    );
    // A language it does not have.
    await expectDenied(
      () => markTranslationUpToDate(at(s.member, 4), { statementId: id, lang: 'ru', primaryVersion: 2 }),
      'NOT_FOUND',
    );

    // Against the current one: up to date.
    expect(
      await expectAllowed(
        () => markTranslationUpToDate(at(s.member, 5), { statementId: id, lang: 'hy', primaryVersion: 2 }),
        { writes: true },
      ),
    ).toEqual({ changed: true });
    expect((await textRow(id, 'hy'))!.alignedPrimaryVersion).toBe(2);
    expect((await eventsOf(id)).at(-1)).toMatchObject({
      type: 'translation.marked_up_to_date',
      data: { lang: 'hy', primaryVersion: 2, previous: 1 },
    });
    editing = await getTextForEditing(at(s.member), id, 'hy');
    expect(editing.primaryChangedSince).toBeNull();
    expect(editing.texts.find((x) => x.lang === 'hy')!.outOfDate).toBe(false);
    // Again: nothing to do.
    expect(
      await expectAllowed(
        () => markTranslationUpToDate(at(s.member, 6), { statementId: id, lang: 'hy', primaryVersion: 2 }),
        { writes: false },
      ),
    ).toEqual({ changed: false });
    await expectChainOk(id);
  });

  it('a translation added before any primary save compares against the empty starting document', async () => {
    const id = await newStatement();
    await addTranslation(at(s.member), { statementId: id, lang: 'ru', title: 'Письмо' });
    expect((await textRow(id, 'ru'))!.alignedPrimaryVersion).toBe(0);
    const p1 = para('first primary');
    await saveText(at(s.member), { statementId: id, lang: 'en', baseVersion: 0, title: 'T', doc: p1 });
    expect((await getTextForEditing(at(s.member), id, 'ru')).primaryChangedSince).toEqual({
      from: EMPTY_DOC,
      to: p1,
      fromVersion: 0,
    });
  });

  it("a translator's save and a primary save do not conflict (separate lock_versions), even in parallel", async () => {
    const id = await newStatement();
    await addTranslation(at(s.member), { statementId: id, lang: 'hy', title: 'Թ' });
    const [tr, pr] = await Promise.all([
      saveText(ctxFor(s.member), {
        statementId: id,
        lang: 'hy',
        baseVersion: 0,
        title: 'Թ',
        doc: para('թարգմանություն'),
      }),
      saveText(ctxFor(s.admin), {
        statementId: id,
        lang: 'en',
        baseVersion: 0,
        title: 'T',
        doc: para('primary'),
      }),
    ]);
    expect([tr.version, tr.changed, pr.version, pr.changed]).toEqual([1, true, 1, true]);
    expect(await textRow(id, 'hy')).toMatchObject({
      lockVersion: 1,
      doc: para('թարգմանություն'),
      alignedPrimaryVersion: 0,
    });
    expect(await textRow(id, 'en')).toMatchObject({ lockVersion: 1, doc: para('primary') });
    // And sequentially, each on its own version.
    await saveText(ctxFor(s.admin), {
      statementId: id,
      lang: 'en',
      baseVersion: 1,
      title: 'T',
      doc: para('primary 2'),
    });
    expect(
      await saveText(ctxFor(s.member), {
        statementId: id,
        lang: 'hy',
        baseVersion: 1,
        title: 'Թ',
        doc: para('թարգմանություն 2'),
      }),
    ).toMatchObject({ version: 2, changed: true });
    expect((await revisionsOf(id, 'hy')).map((r) => r.version)).toEqual([1, 2]);
    expect((await revisionsOf(id, 'en')).map((r) => r.version)).toEqual([1, 2]);
    await expectChainOk(id);
  });
});

// ---- editable states ------------------------------------------------------------------------------------

describe('editable states', () => {
  /** A statement with a primary save (v1, v2) and an out-of-date translation, in `state`. */
  async function statementIn(state: StatementState) {
    const id = await newStatement();
    await saveText(at(s.member), {
      statementId: id,
      lang: 'en',
      baseVersion: 0,
      title: 'T',
      doc: para('one'),
    });
    await addTranslation(at(s.member), { statementId: id, lang: 'hy', title: 'Թ' });
    await saveText(at(s.member), {
      statementId: id,
      lang: 'en',
      baseVersion: 1,
      title: 'T',
      doc: para('two'),
    });
    await setState(id, state);
    return id;
  }
  // Each write is based on the current version, so in the editable twin every one of them changes something.
  const writes = (id: string) => {
    const current = async () => (await textRow(id, 'en'))!.lockVersion;
    return [
      [
        'saveText',
        async () =>
          saveText(at(s.member), {
            statementId: id,
            lang: 'en',
            baseVersion: await current(),
            title: 'T',
            doc: para('three'),
          }),
      ],
      [
        'restoreRevision',
        async () =>
          restoreRevision(at(s.member), {
            statementId: id,
            lang: 'en',
            version: 1,
            baseVersion: await current(),
          }),
      ],
      ['addTranslation', () => addTranslation(at(s.member), { statementId: id, lang: 'ru', title: 'Р' })],
      [
        'markTranslationUpToDate',
        async () =>
          markTranslationUpToDate(at(s.member), {
            statementId: id,
            lang: 'hy',
            primaryVersion: await current(),
          }),
      ],
      [
        'updateStatementDetails',
        () => updateStatementDetails(at(s.member), { statementId: id, summary: 'Changed', timeZone: 'UTC' }),
      ],
    ] as const;
  };

  for (const state of ['open', 'published', 'closed', 'withdrawn'] as const) {
    it(`${state}: every write is INVALID_STATE and nothing is written; reads still work`, async () => {
      const id = await statementIn(state);
      for (const [name, fn] of writes(id)) {
        const e = await expectDenied(fn, 'INVALID_STATE');
        expect([name, e.message]).toEqual([name, 'errors.statementNotEditable']);
      }
      // An outsider still gets NOT_FOUND, not the state.
      await expectDenied(
        () =>
          saveText(at(other.member), {
            statementId: id,
            lang: 'en',
            baseVersion: 2,
            title: 'T',
            doc: para('x'),
          }),
        'NOT_FOUND',
      );
      const editing = await getTextForEditing(at(s.member), id, 'en');
      expect([editing.canEdit, editing.text.lockVersion]).toEqual([false, 2]);
    });
  }

  it('reopened: every write is allowed (the twin)', async () => {
    const id = await statementIn('reopened');
    for (const [name, fn] of writes(id)) {
      const before = await digestDomain();
      const o = await outcomeOf(fn);
      expect([name, o.ok]).toEqual([name, true]);
      expect(await digestDomain()).not.toBe(before);
    }
    expect((await getTextForEditing(at(s.member), id, 'en')).canEdit).toBe(true);
    await expectChainOk(id);
  });
});

// ---- details --------------------------------------------------------------------------------------------

describe('updateStatementDetails', () => {
  it('changes summary and time zone with one event; the same values again change nothing', async () => {
    const id = await newStatement();
    expect(
      await expectAllowed(
        () =>
          updateStatementDetails(at(s.member, 9), {
            statementId: id,
            summary: 'New summary',
            timeZone: 'Europe/Moscow',
          }),
        { writes: true },
      ),
    ).toEqual({
      changed: true,
    });
    const [st] = await db().select().from(statements).where(eq(statements.id, id));
    expect([st!.summary, st!.timeZone, st!.lastEditedAt.toISOString()]).toEqual([
      'New summary',
      'Europe/Moscow',
      '2026-03-01T10:09:00.000Z',
    ]);
    expect((await eventsOf(id)).at(-1)).toMatchObject({
      type: 'statement.details_updated',
      data: { summaryChanged: true, timeZone: 'Europe/Moscow' },
    });
    expect(
      await expectAllowed(
        () =>
          updateStatementDetails(at(s.member), {
            statementId: id,
            summary: 'New summary',
            timeZone: 'Europe/Moscow',
          }),
        { writes: false },
      ),
    ).toEqual({
      changed: false,
    });
    // An empty summary is stored as null.
    await updateStatementDetails(at(s.member), { statementId: id, summary: '', timeZone: 'Europe/Moscow' });
    expect((await db().select().from(statements).where(eq(statements.id, id)))[0]!.summary).toBeNull();
  });
});

// ---- access ---------------------------------------------------------------------------------------------

describe('access (I1, I2)', () => {
  /** Every read and write function on statement `id`, for `ctx`. */
  function calls(ctx: Ctx, id: string) {
    return [
      ['getStatementOverview', () => getStatementOverview(ctx, id), false],
      ['getTextForEditing', () => getTextForEditing(ctx, id, 'en'), false],
      ['getTextForEditing (translation)', () => getTextForEditing(ctx, id, 'hy'), false],
      ['listRevisions', () => listRevisions(ctx, id, 'en'), false],
      ['getRevision', () => getRevision(ctx, id, 'en', 1), false],
      ['getRevision 0', () => getRevision(ctx, id, 'en', 0), false],
      // In this order the allowed twin succeeds call after call (each is based on the version the previous left).
      [
        'restoreRevision',
        () => restoreRevision(ctx, { statementId: id, lang: 'en', version: 1, baseVersion: 1 }),
        false,
      ],
      [
        'markTranslationUpToDate',
        () => markTranslationUpToDate(ctx, { statementId: id, lang: 'hy', primaryVersion: 1 }),
        true,
      ],
      ['addTranslation', () => addTranslation(ctx, { statementId: id, lang: 'ru', title: 'Р' }), true],
      [
        'updateStatementDetails',
        () => updateStatementDetails(ctx, { statementId: id, summary: 'Changed', timeZone: 'UTC' }),
        true,
      ],
      [
        'saveText',
        () =>
          saveText(ctx, { statementId: id, lang: 'en', baseVersion: 1, title: 'T', doc: para('changed') }),
        true,
      ],
    ] as const;
  }

  async function prepared() {
    const id = await newStatement();
    await addTranslation(at(s.member), { statementId: id, lang: 'hy', title: 'Թ' });
    await saveText(at(s.member), {
      statementId: id,
      lang: 'en',
      baseVersion: 0,
      title: 'T',
      doc: para('one'),
    });
    return id;
  }

  it('a member of an unrelated organization, a signed-in outsider and a signed-out caller are refused everything; nothing changes', async () => {
    const id = await prepared();
    for (const [ctx, code] of [
      [at(other.member), 'NOT_FOUND'],
      [at(other.owner), 'NOT_FOUND'],
      [at(s.outsider), 'NOT_FOUND'],
      [at(null), 'UNAUTHENTICATED'],
    ] as const) {
      for (const [name, fn] of calls(ctx, id)) {
        const e = await expectDenied(fn, code);
        expect([name, e.message]).toEqual([
          name,
          code === 'NOT_FOUND' ? 'errors.notFound' : 'errors.signInRequired',
        ]);
      }
    }
    expect(await listMyStatements(at(other.member))).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ id })]),
    );
    expect(await listMyStatements(at(s.outsider))).toEqual([]);
    await expectDenied(() => listMyStatements(at(null)), 'UNAUTHENTICATED');
  });

  it('a random uuid and malformed ids: NOT_FOUND for a member too (the same answer); signed out: UNAUTHENTICATED', async () => {
    for (const id of [
      crypto.randomUUID(),
      'not-a-uuid',
      '',
      "' OR 1=1 --",
      `${crypto.randomUUID()}x`,
      '../statements',
    ]) {
      for (const [name, fn] of calls(at(s.member), id)) {
        const o = await outcomeOf(fn);
        expect([name, id, o.ok ? 'allowed' : o.code]).toEqual([name, id, 'NOT_FOUND']);
      }
      for (const [name, fn] of calls(at(null), id)) {
        const o = await outcomeOf(fn);
        expect([name, id, o.ok ? 'allowed' : o.code]).toEqual([name, id, 'UNAUTHENTICATED']);
      }
    }
    // (Digest checked once around all of them.)
    const before = await digestDomain();
    for (const [, fn] of calls(at(s.admin), crypto.randomUUID())) await outcomeOf(fn);
    expect(await digestDomain()).toBe(before);
  });

  it('the allowed twin: members, admins and owners of the initiator organization get every call', async () => {
    for (const who of [s.member, s.admin, s.owner]) {
      const id = await prepared();
      for (const [name, fn, writes] of calls(at(who), id)) {
        const before = await digestDomain();
        const o = await outcomeOf(fn);
        expect([name, o.ok ? 'allowed' : o.code]).toEqual([name, 'allowed']);
        if (writes) expect(await digestDomain()).not.toBe(before);
      }
    }
    const id = await prepared();
    const overview = await getStatementOverview(at(s.admin), id);
    expect([overview.role, overview.canEdit, overview.initiators.map((i) => [i.orgId, i.role])]).toEqual([
      'admin',
      true,
      [[s.org.id, 'primary']],
    ]);
    expect((await getStatementOverview(at(s.member), id)).role).toBe('member');
    expect((await getStatementOverview(at(s.owner), id)).role).toBe('owner');
    const revs = await listRevisions(at(s.member), id, 'en');
    expect(revs.revisions.map((r) => [r.version, r.kind, r.authorName])).toEqual([
      [1, 'save', localPart(s.member)],
    ]);
    expect(await getRevision(at(s.member), id, 'en', 1)).toMatchObject({
      version: 1,
      title: 'T',
      doc: para('one'),
    });
    expect(await getRevision(at(s.member), id, 'en', 0)).toMatchObject({
      version: 0,
      title: '',
      doc: EMPTY_DOC,
      createdAt: null,
    });
    await expectDenied(() => getRevision(at(s.member), id, 'en', 2), 'NOT_FOUND');
    await expectDenied(() => getRevision(at(s.member), id, 'fr', 0), 'NOT_FOUND');
    expect((await listRevisions(at(s.member), id, 'fr')).revisions).toEqual([]);
  });

  it('a removed member is refused on the next call', async () => {
    const org = await seedOrg({ member2: true });
    const { id } = await createStatement(at(org.member2!), {
      orgId: org.org.id,
      title: 'Mine',
      primaryLang: 'en',
      timeZone: 'UTC',
    });
    await saveText(at(org.member2!), {
      statementId: id,
      lang: 'en',
      baseVersion: 0,
      title: 'Mine',
      doc: para('before removal'),
    });
    expect((await listMyStatements(at(org.member2!))).map((x) => x.id)).toEqual([id]);

    await removeMember(ctxFor(org.owner), { orgId: org.org.id, membershipId: org.m.member2! });

    await expectDenied(
      () =>
        saveText(at(org.member2!), {
          statementId: id,
          lang: 'en',
          baseVersion: 1,
          title: 'Mine',
          doc: para('after removal'),
        }),
      'NOT_FOUND',
    );
    for (const [, fn] of calls(at(org.member2!), id)) await expectDenied(fn, 'NOT_FOUND');
    expect(await listMyStatements(at(org.member2!))).toEqual([]);
    // Twin: a remaining member carries on.
    expect(
      await saveText(at(org.member), {
        statementId: id,
        lang: 'en',
        baseVersion: 1,
        title: 'Mine',
        doc: para('after removal'),
      }),
    ).toMatchObject({ version: 2, changed: true });
  });

  it('listMyStatements lists the statement for members of the initiator organization only', async () => {
    const id = await newStatement(s.member, 'en', 'Listed letter');
    await addTranslation(at(s.member, 1), { statementId: id, lang: 'hy', title: 'Թ' });
    await saveText(at(s.admin, 30), {
      statementId: id,
      lang: 'en',
      baseVersion: 0,
      title: 'Listed letter',
      doc: para('x'),
    });
    for (const who of [s.member, s.admin, s.owner]) {
      const mine = await listMyStatements(at(who));
      const row = mine.find((x) => x.id === id);
      expect(row).toEqual({
        id,
        state: 'draft',
        primaryLang: 'en',
        lastEditedAt: new Date('2026-03-01T10:30:00.000Z'),
        title: 'Listed letter',
        orgName: s.org.name,
        orgSlug: s.org.slug,
        languages: ['en', 'hy'],
        editor: localPart(s.admin),
        publicSlug: null,
      });
      // Each statement once, newest edit first.
      expect(new Set(mine.map((x) => x.id)).size).toBe(mine.length);
      const times = mine.map((x) => x.lastEditedAt.getTime());
      expect([...times].sort((a, b) => b - a)).toEqual(times);
    }
    expect((await listMyStatements(at(other.member))).map((x) => x.id)).not.toContain(id);
    expect((await listMyStatements(at(other.owner))).map((x) => x.id)).not.toContain(id);
    expect(await listMyStatements(at(s.outsider))).toEqual([]);
  });
});
