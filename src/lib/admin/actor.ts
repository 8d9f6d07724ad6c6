/**
 * Who performs an admin action: a signed-in user (their email is kept with the
 * audit row, so it reads right after the user is gone) or the admin CLI.
 */
export type AdminActor = { type: 'user'; userId: string; email: string } | { type: 'cli' };

export function actorOf(user: { id: string; email: string }): AdminActor {
  return { type: 'user', userId: user.id, email: user.email };
}
