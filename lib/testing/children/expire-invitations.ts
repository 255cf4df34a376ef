// The relay's expiry sweep (expireInvitations) in its own process, at the clock `now` (ISO), started together
// with other sweeps by a barrier. Prints how many invitations this sweep recorded as expired.
import { getDb } from '@/db';
import { expireInvitations } from '../../invitations';
import { passBarrier } from '../barrier';
import { childMain } from './_main';

childMain(async (p: { now: string; barrierKey: number; limit?: number }) => {
  await passBarrier(p.barrierKey);
  return { expired: await expireInvitations(getDb(), { now: new Date(p.now), limit: p.limit }) };
});
