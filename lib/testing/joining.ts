// Helpers for open-joining tests: a statement published the way people publish one (created, text saved, frozen,
// signed by its initiator, published with a joining window), and the join links read from the mail the relay
// sends, the way a requester reads them.
import crypto from 'node:crypto';
import type { Actor } from '../context';
import { confirmJoin, requestToJoin, type JoinRequestInput } from '../joining';
import type { OutgoingMail } from '../mail/transport';
import { publishStatement } from '../publishing';
import { freezeVersion, signForOrganization } from '../signing';
import { createStatement, saveText } from '../statements';
import { ctxFor } from './db';
import type { mailCatcher } from './invitations';
import { docOf } from './review';

export const JOIN_LINK = /\/join\/confirm#t=([A-Za-z0-9_-]{43})/;
const HOUR = 3_600_000;

/**
 * A statement of `orgId` (primary hy, with an English title), frozen, signed by `owner` for the organization, and
 * published at a fresh slug, open for joining for `joinHours` (0: not open for joining).
 */
export async function publishForJoining(owner: Actor, orgId: string, opts: { joinHours?: number; title?: string } = {}) {
  const c = ctxFor(owner);
  const title = opts.title ?? `Open letter ${crypto.randomBytes(3).toString('hex')}`;
  const { id } = await createStatement(c, { orgId, title, primaryLang: 'hy', summary: null, timeZone: 'Asia/Yerevan' });
  await saveText(c, { statementId: id, lang: 'hy', baseVersion: 0, title, doc: docOf('Մենք կոչ ենք անում հրապարակել բյուջեն։') });
  await freezeVersion(c, { statementId: id });
  await signForOrganization(c, { statementId: id, orgId, version: 1 });
  const slug = `letter-${crypto.randomBytes(4).toString('hex')}`;
  const hours = opts.joinHours ?? 24 * 7;
  await publishStatement(c, {
    statementId: id,
    slug,
    displayDate: '2025-03-01',
    listOrder: 'joined',
    joinUntil: hours > 0 ? new Date(Date.now() + hours * HOUR) : null,
  });
  return { statementId: id, slug, title };
}

/** The join-confirmation token in the one message of `mails` to `email`. */
export function joinTokenIn(mails: OutgoingMail[], email: string): string {
  const mine = mails.filter((m) => m.to === email && JOIN_LINK.test(m.text));
  if (mine.length !== 1) throw new Error(`expected one join confirmation to ${email}, got ${mine.length}`);
  return JOIN_LINK.exec(mine[0]!.text)![1]!;
}

/** Ask to join (signed out, from `ip`), read the link from the relay's mail, confirm it: the request is then pending. */
export async function askAndConfirm(catcher: ReturnType<typeof mailCatcher>, input: Omit<JoinRequestInput, 'ip'> & { ip?: string }) {
  await requestToJoin(ctxFor(null), { ip: `10.9.${crypto.randomInt(255)}.${crypto.randomInt(255)}`, ...input });
  const token = joinTokenIn(await catcher.deliver(), input.email.toLowerCase());
  return confirmJoin(ctxFor(null), { token });
}
