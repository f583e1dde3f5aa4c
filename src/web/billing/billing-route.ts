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
