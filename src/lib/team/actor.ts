import type { AdminActor } from '../admin/actor';
import type { MembershipRole } from '../db/schema';

/**
 * Who manages a team: a member of the tenant with their role there, or a
 * platform admin (role null unless also a member), who may do what an owner may.
 */
export interface TeamActor {
  userId: string;
  email: string;
  role: MembershipRole | null;
  isPlatformAdmin: boolean;
}

export function teamActorOf(
  user: { id: string; email: string; isPlatformAdmin: boolean },
  role: MembershipRole | null,
): TeamActor {
  return { userId: user.id, email: user.email, role, isPlatformAdmin: user.isPlatformAdmin };
}

export function auditActor(actor: TeamActor): AdminActor {
  return { type: 'user', userId: actor.userId, email: actor.email };
}

/** Owners (and platform admins) manage owners; admins manage admins and members. */
export function actsAsOwner(actor: TeamActor): boolean {
  return actor.isPlatformAdmin || actor.role === 'owner';
}

export function canManageTeam(actor: TeamActor): boolean {
  return actsAsOwner(actor) || actor.role === 'admin';
}
