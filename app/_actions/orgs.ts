'use server';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { action } from '@/lib/action';
import {
  acceptMemberInvitation,
  changeMemberRole,
  declineMemberInvitation,
  inviteMember,
  leaveOrganization,
  previewMemberInvitation,
  removeMember,
  resendMemberInvitation,
  revokeMemberInvitation,
  setMemberTitle,
  transferOwnership,
} from '@/lib/members';
import { createOrganization, setSigningPolicy, similarOrganizations, updateOrganizationProfile } from '@/lib/orgs';
import {
  changeRoleSchema,
  CREATE_ORG_NEXT,
  createOrgSchema,
  invitationIdSchema,
  inviteMemberSchema,
  membershipSchema,
  orgIdSchema,
  profileFromForm,
  setTitleSchema,
  signingPolicySchema,
  similarNameSchema,
  tokenSchema,
  updateOrgSchema,
} from '@/lib/validation/orgs';

// Public pages of an organization are cached; a change here refreshes them on this instance at once
// (other instances within their revalidation window). Route patterns name the route group: the cache
// tags of a page are derived from its file path, `(public)` included.
function refreshOrgPages(slug?: string) {
  revalidatePath('/dashboard');
  revalidatePath('/(public)/[lang]/orgs', 'page');
  if (slug) {
    revalidatePath(`/manage/orgs/${slug}`);
    revalidatePath('/(public)/[lang]/orgs/[slug]', 'page');
  }
}

/** The validated `next` of a create-organization form (the schema already refused any other value). */
function nextOf(args: unknown[]): string | null {
  const raw = args.length >= 2 ? args[1] : args[0];
  const v = raw instanceof FormData ? raw.get('next') : (raw as { next?: unknown } | null)?.next;
  return typeof v === 'string' && CREATE_ORG_NEXT.test(v) ? v : null;
}

const create = action(createOrgSchema, (ctx, v) => createOrganization(ctx, { ...profileFromForm(v), confirmDistinct: v.confirmDistinct }));
/** Signed in: create an organization; the creator becomes its owner. */
export async function createOrganizationAction(...args: unknown[]) {
  const r = await create(...args);
  if (r.ok) {
    refreshOrgPages(r.data.slug);
    // Created from a statement-invitation landing: back there with the new organization chosen.
    const next = nextOf(args);
    redirect(next ? `${next}${next.includes('?') ? '&' : '?'}org=${r.data.id}` : `/manage/orgs/${r.data.slug}`);
  }
  return r;
}

const similar = action(similarNameSchema, async (ctx, v) => similarOrganizations(ctx.db, v.name));
/** Signed in: organizations with a name close to this one (a warning before creating). Reads only. */
export async function findSimilarOrganizationsAction(...args: unknown[]) {
  return similar(...args);
}

const update = action(updateOrgSchema, (ctx, v) => updateOrganizationProfile(ctx, { orgId: v.orgId, ...profileFromForm(v) }));
/** Owners and admins: edit the profile. */
export async function updateOrganizationProfileAction(...args: unknown[]) {
  const r = await update(...args);
  if (r.ok) refreshOrgPages(r.data.slug);
  return r;
}

const policy = action(signingPolicySchema, (ctx, v) => setSigningPolicy(ctx, v));
/** Owners only: who may sign on the organization's behalf. */
export async function setSigningPolicyAction(...args: unknown[]) {
  const r = await policy(...args);
  if (r.ok) refreshOrgPages();
  return r;
}

const invite = action(inviteMemberSchema, (ctx, v) => inviteMember(ctx, v));
/** Admins invite members; owners invite any role. */
export async function inviteMemberAction(...args: unknown[]) {
  const r = await invite(...args);
  if (r.ok) refreshOrgPages();
  return r;
}

const resend = action(invitationIdSchema, (ctx, v) => resendMemberInvitation(ctx, v));
/** Those who could send the invitation: send it again with a fresh link. */
export async function resendMemberInvitationAction(...args: unknown[]) {
  return resend(...args);
}

const revoke = action(invitationIdSchema, (ctx, v) => revokeMemberInvitation(ctx, v));
/** Those who could send the invitation: revoke it. */
export async function revokeMemberInvitationAction(...args: unknown[]) {
  const r = await revoke(...args);
  if (r.ok) refreshOrgPages();
  return r;
}

const preview = action(tokenSchema, (ctx, v) => previewMemberInvitation(ctx, v));
/** The invited person (signed in with the invited address): what the invitation is for. Reads only. */
export async function previewMemberInvitationAction(...args: unknown[]) {
  return preview(...args);
}

const accept = action(tokenSchema.or(invitationIdSchema), (ctx, v) => acceptMemberInvitation(ctx, v));
/** The invited person: join the organization. */
export async function acceptMemberInvitationAction(...args: unknown[]) {
  const r = await accept(...args);
  if (r.ok) refreshOrgPages(r.data.slug);
  return r;
}

const decline = action(tokenSchema.or(invitationIdSchema), (ctx, v) => declineMemberInvitation(ctx, v));
/** The invited person: decline. */
export async function declineMemberInvitationAction(...args: unknown[]) {
  const r = await decline(...args);
  if (r.ok) refreshOrgPages();
  return r;
}

const remove = action(membershipSchema, (ctx, v) => removeMember(ctx, v));
/** Admins remove non-owners; owners anyone but the last owner. */
export async function removeMemberAction(...args: unknown[]) {
  const r = await remove(...args);
  if (r.ok) refreshOrgPages();
  return r;
}

const leave = action(orgIdSchema, (ctx, v) => leaveOrganization(ctx, v));
/** Any member except the last owner. */
export async function leaveOrganizationAction(...args: unknown[]) {
  const r = await leave(...args);
  if (r.ok) {
    refreshOrgPages();
    redirect('/dashboard');
  }
  return r;
}

const role = action(changeRoleSchema, (ctx, v) => changeMemberRole(ctx, v));
/** Owners only: change a member's role (never leaving zero owners). */
export async function changeMemberRoleAction(...args: unknown[]) {
  const r = await role(...args);
  if (r.ok) refreshOrgPages();
  return r;
}

const title = action(setTitleSchema, (ctx, v) => setMemberTitle(ctx, v));
/** Admins (non-owners' titles), owners (anyone's), every member (their own). */
export async function setMemberTitleAction(...args: unknown[]) {
  const r = await title(...args);
  if (r.ok) refreshOrgPages();
  return r;
}

const transfer = action(membershipSchema, (ctx, v) => transferOwnership(ctx, v));
/** Owners only: make another member an owner; the actor becomes an admin. */
export async function transferOwnershipAction(...args: unknown[]) {
  const r = await transfer(...args);
  if (r.ok) refreshOrgPages();
  return r;
}
