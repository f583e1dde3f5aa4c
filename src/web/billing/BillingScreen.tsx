import type { MouseEvent } from 'react';
import type { Me } from '../../core/schemas/index.js';
import { useWorkspaces } from '../hooks/useCollaboration.js';
import { billingPath, type BillingView } from './billing-route.js';
import { PlansAdmin } from './PlansAdmin.js';
import { PricingSimulator } from './PricingSimulator.js';
import { WorkspaceBilling } from './WorkspaceBilling.js';

const titles: Record<BillingView, string> = { workspace: 'Billing', plans: 'Plans', simulator: 'Pricing simulator' };

/** The billing area: the workspace's billing, and for operators the plans and the simulator as tabs. */
export function BillingScreen({ me, view, onNavigate }: { me: Me; view: BillingView; onNavigate: (view: BillingView) => void }) {
  const { workspaces, selected } = useWorkspaces();
  const billable = me.user.isAdmin ? workspaces : workspaces.filter((workspace) => workspace.role === 'admin');
  const shown: BillingView = me.user.isAdmin ? view : 'workspace';
  const views: BillingView[] = me.user.isAdmin ? ['workspace', 'plans', 'simulator'] : ['workspace'];

  const link = (target: BillingView) => (
    <a
      key={target}
      href={billingPath(target)}
      className="billing-tab"
      aria-current={target === shown ? 'page' : undefined}
      onClick={(event: MouseEvent<HTMLAnchorElement>) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        onNavigate(target);
      }}
    >
      {target === 'workspace' ? 'Workspace billing' : titles[target]}
    </a>
  );

  return (
    <div className="billing">
      <h1>{titles[shown]}</h1>
      {views.length > 1 ? (
        <nav aria-label="Billing" className="billing-tabs">
          {views.map(link)}
        </nav>
      ) : null}
      {shown === 'workspace' ? <WorkspaceBilling workspaces={billable} initialWorkspaceId={selected?.id ?? null} /> : null}
      {shown === 'plans' ? <PlansAdmin /> : null}
      {shown === 'simulator' ? <PricingSimulator knownWorkspaces={workspaces} /> : null}
    </div>
  );
}
