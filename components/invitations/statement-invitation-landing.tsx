'use client';
// The statement-invitation landing (SECURITY.md I8, I11). The link's token travels in the URL fragment (never
// sent to a server by the browser), survives the sign-in detour in sessionStorage, and is only ever POSTed.
// Signed out, a valid link shows only the inviting organizations and "sign in as j…@example.org"; signed in
// with the invited address, the invitation itself. A shared mailbox (info@…) may hand it to a personal account
// in this browser (HttpOnly cookie, 15 minutes); from the dashboard it is answered by id.
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useFormatter, useTranslations } from 'next-intl';
import { useEffect, useId, useRef, useState, useTransition } from 'react';
import { signOutAction } from '@/app/_actions/auth';
import {
  acceptInvitationAction,
  confirmSharedMailboxAction,
  declineInvitationAction,
  openInvitationAction,
  openInvitationByHandoffAction,
  previewInvitationPublicAction,
} from '@/app/_actions/invitations';
import { AcceptAndSign, type OpenVersion } from '@/components/invitations/accept-and-sign';
import { OrgProfileForm } from '@/components/orgs/org-profile-form';
import { Alert } from '@/components/ui/alert';
import { Button, buttonClass } from '@/components/ui/button';
import { TextArea } from '@/components/ui/textarea';

const KEY = 'undersigned:statement-invitation';
const LANDING = '/invite/statement';

export type InvitationView = {
  invitationId: string;
  statementId: string;
  kind: 'participant' | 'co_initiator';
  title: string;
  inviters: string[];
  message: string | null;
  signBy: string | null;
  timeZone: string;
  targetOrg: { id: string; name: string } | null;
  eligibleOrgs: { id: string; name: string; slug: string; verified: boolean; memberTitle: string | null }[];
  memberOnlyOrgs: string[];
  canCreateOrg: boolean;
  invitedEmail: string | null;
  via: 'link' | 'handoff' | 'dashboard';
  /** Open for signature: the current frozen version, for "accept and sign" on this page. */
  signing: OpenVersion | null;
  signerName: string | null;
};
type Preview = { inviters: string[]; maskedEmail: string; kind: 'participant' | 'co_initiator' };
type Proof = { token: string } | { via: 'handoff' } | { invitationId: string };

type Phase =
  | { k: 'loading' }
  | { k: 'missing' }
  | { k: 'preview'; preview: Preview }
  | { k: 'handoffSignIn' }
  | { k: 'view'; view: InvitationView; proof: Proof }
  | { k: 'error'; message: string }
  | { k: 'declined' };

function initialPhase(
  byId: { view: InvitationView } | { error: string } | null,
  invitationId: string | null,
): Phase {
  if (!byId) return { k: 'loading' };
  if ('error' in byId) return { k: 'error', message: byId.error };
  return { k: 'view', view: byId.view, proof: { invitationId: invitationId ?? byId.view.invitationId } };
}

export function StatementInvitationLanding({
  signedInAs,
  hasHandoff,
  byId,
  invitationId,
  preselectOrg,
}: {
  signedInAs: string | null;
  hasHandoff: boolean;
  byId: { view: InvitationView } | { error: string } | null;
  invitationId: string | null;
  preselectOrg: string | null;
}) {
  const t = useTranslations();
  const started = useRef(false);
  const [phase, setPhase] = useState<Phase>(() => initialPhase(byId, invitationId));

  useEffect(() => {
    if (byId || started.current) return;
    started.current = true;
    const show = (p: Phase) => setPhase(p);
    const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('t');
    if (fromHash) {
      sessionStorage.setItem(KEY, fromHash);
      history.replaceState(null, '', window.location.pathname + window.location.search);
    }
    // A link just opened wins over a handoff cookie left from earlier.
    if (hasHandoff && !fromHash) {
      // A personal account continuing from a shared mailbox in this browser: the cookie is the proof.
      if (!signedInAs) return show({ k: 'handoffSignIn' });
      void openInvitationByHandoffAction({}).then((r) =>
        show(
          r.ok
            ? { k: 'view', view: r.data as InvitationView, proof: { via: 'handoff' } }
            : { k: 'error', message: r.message },
        ),
      );
      return;
    }
    const token = fromHash ?? sessionStorage.getItem(KEY);
    if (!token) return show({ k: 'missing' });
    if (!signedInAs) {
      void previewInvitationPublicAction({ token }).then((r) =>
        show(r.ok ? { k: 'preview', preview: r.data } : { k: 'error', message: r.message }),
      );
    } else {
      void openInvitationAction({ token }).then((r) =>
        show(
          r.ok
            ? { k: 'view', view: r.data as InvitationView, proof: { token } }
            : { k: 'error', message: r.message },
        ),
      );
    }
  }, [byId, hasHandoff, signedInAs]);

  const signedInNote = signedInAs ? (
    <p className="text-sm text-muted">{t('invite.signedInAs', { email: signedInAs })}</p>
  ) : null;

  switch (phase.k) {
    case 'loading':
      return (
        <p role="status" aria-live="polite">
          {t('common.loading')}
        </p>
      );
    case 'missing':
      return <Alert tone="info">{t('invitations.missingLink')}</Alert>;
    case 'declined':
      return (
        <div className="flex flex-col gap-3">
          <Alert tone="ok">{t('invitations.declinedDone')}</Alert>
          <div>
            <Link href="/dashboard" className={buttonClass('secondary')}>
              {t('invitations.toDashboard')}
            </Link>
          </div>
        </div>
      );
    case 'error':
      return (
        <div className="flex flex-col gap-3">
          <Alert>
            {t(
              phase.message === 'errors.invitationLinkExpired' || phase.message === 'errors.rateLimited'
                ? phase.message
                : 'errors.invitationLinkInvalid',
            )}
          </Alert>
          {signedInNote}
          {!signedInAs ? (
            <p className="text-sm">
              <Link href={`/sign-in?next=${encodeURIComponent(LANDING)}`} className="text-accent underline">
                {t('invitations.signInInstead')}
              </Link>
            </p>
          ) : null}
        </div>
      );
    case 'handoffSignIn':
      return (
        <div className="flex flex-col gap-4">
          <p>{t('invitations.handoffSignIn')}</p>
          <div>
            <Link href={`/sign-in?next=${encodeURIComponent(LANDING)}`} className={buttonClass('primary')}>
              {t('invitations.signInPersonal')}
            </Link>
          </div>
        </div>
      );
    case 'preview':
      return (
        <div className="flex flex-col gap-4">
          <p className="text-lg">
            {t(
              phase.preview.kind === 'co_initiator'
                ? 'invitations.previewCoInitiator'
                : 'invitations.previewParticipant',
              {
                inviters: phase.preview.inviters.join(', '),
              },
            )}
          </p>
          <p>{t('invitations.signInAs', { email: phase.preview.maskedEmail })}</p>
          <div>
            <Link href={`/sign-in?next=${encodeURIComponent(LANDING)}`} className={buttonClass('primary')}>
              {t('nav.signIn')}
            </Link>
          </div>
          <p className="text-sm text-muted">{t('invitations.previewPrivacy')}</p>
        </div>
      );
    case 'view':
      return (
        <InvitationAnswer
          view={phase.view}
          proof={phase.proof}
          signedInAs={signedInAs}
          preselectOrg={preselectOrg}
          onDeclined={() => setPhase({ k: 'declined' })}
          onInvalid={(message) => setPhase({ k: 'error', message })}
        />
      );
  }
}

function InvitationAnswer({
  view,
  proof,
  signedInAs,
  preselectOrg,
  onDeclined,
  onInvalid,
}: {
  view: InvitationView;
  proof: Proof;
  signedInAs: string | null;
  preselectOrg: string | null;
  onDeclined: () => void;
  onInvalid: (message: string) => void;
}) {
  const t = useTranslations();
  const ti = useTranslations('invitations');
  const format = useFormatter();
  const router = useRouter();
  const id = useId();
  const eligible = view.eligibleOrgs;
  const [orgId, setOrgId] = useState<string | null>(
    eligible.find((o) => o.id === preselectOrg)?.id ?? (eligible.length === 1 ? eligible[0]!.id : null),
  );
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();

  const linkProblem = (message: string) => {
    if (message !== 'errors.invitationLinkInvalid' && message !== 'errors.invitationLinkExpired') return false;
    sessionStorage.removeItem(KEY);
    onInvalid(message);
    return true;
  };
  const handle = (r: { ok: false; message: string }) => {
    if (!linkProblem(r.message)) setError(r.message);
  };

  const accept = () => {
    if (!orgId) return;
    setError(null);
    start(async () => {
      const r = await acceptInvitationAction({ ...proof, orgId });
      if (!r.ok) return handle(r);
      sessionStorage.removeItem(KEY);
      router.push(
        r.data.kind === 'co_initiator'
          ? `/statements/${r.data.statementId}`
          : view.signing
            ? `/statements/${r.data.statementId}/sign`
            : `/statements/${r.data.statementId}/review`,
      );
    });
  };

  const decline = () => {
    setError(null);
    start(async () => {
      const r = await declineInvitationAction({ ...proof, reason });
      if (!r.ok) return handle(r);
      sessionStorage.removeItem(KEY);
      onDeclined();
    });
  };

  const handOff = () => {
    if (!('token' in proof)) return;
    setError(null);
    start(async () => {
      const r = await confirmSharedMailboxAction({ token: proof.token });
      if (!r.ok) return handle(r);
      // The link is used up now; the personal account answers through the cookie set by the action.
      sessionStorage.removeItem(KEY);
      const form = new FormData();
      form.set('next', `/sign-in?next=${encodeURIComponent(LANDING)}`);
      await signOutAction(null, form);
    });
  };

  const signBy = view.signBy
    ? format.dateTime(new Date(view.signBy), {
        dateStyle: 'long',
        timeStyle: 'short',
        timeZone: view.timeZone,
      })
    : null;
  const createNext = 'invitationId' in proof ? `${LANDING}?invitation=${proof.invitationId}` : LANDING;
  const chosen = eligible.find((o) => o.id === orgId);

  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-col gap-2">
        <p className="text-sm text-muted">
          {ti(view.kind === 'co_initiator' ? 'inviteToCoInitiate' : 'inviteToParticipate', {
            inviters: view.inviters.join(', '),
          })}
        </p>
        <h2 className="text-xl font-semibold break-words">{view.title || t('statements.untitled')}</h2>
        <p>{ti(view.kind === 'co_initiator' ? 'kindExplain.co_initiator' : 'kindExplain.participant')}</p>
        {view.targetOrg ? <p>{ti('forOrganization', { org: view.targetOrg.name })}</p> : null}
        {signBy ? (
          <p className="font-semibold">{ti('answerBy', { when: signBy, zone: view.timeZone })}</p>
        ) : null}
      </div>

      {view.message ? (
        <figure className="rounded-md border-l-4 border-accent bg-stone-50 p-3">
          <figcaption className="mb-1 text-sm font-semibold text-muted">
            {ti('messageFrom', { inviters: view.inviters.join(', ') })}
          </figcaption>
          <blockquote className="break-words whitespace-pre-wrap">{view.message}</blockquote>
        </figure>
      ) : null}

      {eligible.length > 0 ? (
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 font-semibold">{ti('chooseOrg')}</legend>
          {eligible.map((o) => (
            <label
              key={o.id}
              className="flex min-h-11 items-center gap-3 rounded-md border border-line px-3 py-2 has-[:checked]:border-accent has-[:checked]:bg-accent-soft"
            >
              <input
                type="radio"
                name={`${id}-org`}
                value={o.id}
                checked={orgId === o.id}
                onChange={() => setOrgId(o.id)}
                className="h-4 w-4"
              />
              <span className="min-w-0 break-words">
                {o.name}{' '}
                <span className="text-sm text-muted">{o.verified ? ti('verified') : ti('unverified')}</span>
              </span>
            </label>
          ))}
        </fieldset>
      ) : (
        <Alert tone="info">
          {view.targetOrg ? ti('notAdminOfTarget', { org: view.targetOrg.name }) : ti('noEligibleOrg')}
        </Alert>
      )}

      {view.memberOnlyOrgs.length > 0 ? (
        <p className="text-sm text-muted">{ti('memberOnly', { orgs: view.memberOnlyOrgs.join(', ') })}</p>
      ) : null}

      {view.canCreateOrg ? (
        <details className="rounded-md border border-line p-3" open={eligible.length === 0}>
          <summary className="cursor-pointer font-semibold">{ti('createOrgSummary')}</summary>
          <p className="my-2 text-sm text-muted">{ti('createOrgHint')}</p>
          <OrgProfileForm next={createNext} />
        </details>
      ) : null}

      {view.signing && chosen ? (
        <AcceptAndSign
          key={chosen.id}
          proof={proof}
          signing={view.signing}
          org={chosen}
          signerName={view.signerName}
          disabled={pending}
          onInvalid={linkProblem}
          onDone={() => sessionStorage.removeItem(KEY)}
        />
      ) : null}

      {error ? <Alert>{t(error)}</Alert> : null}

      <div className="flex flex-col gap-3 border-t border-line pt-4">
        {view.signing && chosen ? <p className="text-sm text-muted">{t('acceptSign.orJustAccept')}</p> : null}
        <div className="flex flex-wrap gap-3">
          <Button
            type="button"
            variant={view.signing && chosen ? 'secondary' : 'primary'}
            onClick={accept}
            disabled={!orgId || pending}
            aria-busy={pending}
          >
            {chosen ? ti('acceptFor', { org: chosen.name }) : ti('accept')}
          </Button>
          {!declining ? (
            <Button type="button" variant="secondary" onClick={() => setDeclining(true)} disabled={pending}>
              {ti('decline')}
            </Button>
          ) : null}
        </div>
        {!orgId && eligible.length > 1 ? <p className="text-sm text-muted">{ti('chooseOrgFirst')}</p> : null}
        {declining ? (
          <div className="flex flex-col gap-3 rounded-md border border-line p-3">
            <TextArea
              id={`${id}-reason`}
              label={ti('declineReasonLabel')}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              maxLength={1000}
              rows={3}
            />
            <p className="text-sm text-muted">{ti('declineReasonHint')}</p>
            <div className="flex flex-wrap gap-3">
              <Button type="button" variant="danger" onClick={decline} disabled={pending}>
                {ti('declineConfirm')}
              </Button>
              <Button
                type="button"
                variant="secondary"
                onClick={() => setDeclining(false)}
                disabled={pending}
              >
                {t('common.cancel')}
              </Button>
            </div>
          </div>
        ) : null}
      </div>

      {signedInAs ? (
        <p className="text-sm text-muted">
          {view.via === 'handoff' && view.invitedEmail
            ? ti('continuingFrom', { me: signedInAs, mailbox: view.invitedEmail })
            : t('invite.signedInAs', { email: signedInAs })}
        </p>
      ) : null}

      {'token' in proof ? (
        <details className="rounded-md border border-line p-3">
          <summary className="cursor-pointer text-sm font-semibold">{ti('sharedMailboxSummary')}</summary>
          <div className="mt-2 flex flex-col gap-3 text-sm">
            <p>{ti('sharedMailboxExplain', { email: view.invitedEmail ?? signedInAs ?? '' })}</p>
            <div>
              <Button type="button" variant="secondary" onClick={handOff} disabled={pending}>
                {ti('sharedMailboxContinue')}
              </Button>
            </div>
          </div>
        </details>
      ) : null}
    </div>
  );
}
