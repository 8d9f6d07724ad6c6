/**
 * Providers whose final statuses are confirmed with `GET /executions/{id}`
 * before they end a call (checklist 18). Bolna signs no webhook: the per-tenant
 * path token is all that authenticates one, so a leaked token must not be able
 * to end calls, free their slots or pause a campaign. The simulator is our own
 * process. SQL asks the same question (provider_confirms_final_statuses,
 * migration 0015); a test keeps the two in step.
 */
export function confirmsFinalStatuses(provider: string): boolean {
  return provider === 'bolna';
}
