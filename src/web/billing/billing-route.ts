import type { Me } from '../../core/schemas/index.js';

/** Whether the billing link is shown: workspace admins see their billing; operators also plans and the simulator. */
export function canSeeBilling(me: Me): boolean {
  return me.user.isAdmin || me.workspaces.some((workspace) => workspace.role === 'admin');
}

/** The billing pages' addresses: `/billing`, `/billing/plans`, `/billing/simulator`. */
export type BillingView = 'workspace' | 'plans' | 'simulator';

const paths: Record<BillingView, string> = { workspace: '/billing', plans: '/billing/plans', simulator: '/billing/simulator' };

export function billingPath(view: BillingView): string {
  return paths[view];
}

/** The billing view at `pathname`, or null when it is not a billing page. */
export function billingViewOf(pathname: string): BillingView | null {
  const match = /^\/billing(?:\/(plans|simulator))?\/?$/.exec(pathname);
  if (!match) return null;
  return (match[1] as BillingView | undefined) ?? 'workspace';
}
