// Fault points for the crash tests: when FAULT_POINTS=1 and FAULT_POINT names this point, the process
// SIGKILLs itself right here (mid-transaction), so tests can prove that nothing is ever half-written.
export const FAULT_POINT_NAMES = [
  'audit.before_event_insert',
  'audit.after_event_insert',
  'outbox.after_enqueue',
  'outbox.relay_after_send',
  'tokens.after_consume',
  'users.after_state_change',
  'orgs.after_create',
  'members.after_membership_change',
  'statements.after_text_update',
  'comments.after_insert',
  'invitations.after_insert',
  'invitations.after_accept',
  'signing.after_freeze',
  'signing.after_binding',
  'signing.after_withdraw',
  'publishing.after_publish',
  'joining.after_approve',
] as const;
export type FaultPointName = (typeof FAULT_POINT_NAMES)[number];

export function faultPoint(name: FaultPointName): void {
  if (process.env.FAULT_POINTS !== '1') return;
  if (process.env.FAULT_POINT === name) process.kill(process.pid, 'SIGKILL');
}
