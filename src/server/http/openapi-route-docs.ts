/**
 * Summaries and route-specific error codes of the billing routes, keyed by method and path, for the OpenAPI document.
 * A route's own `schema.summary`/`schema.problems` come first; this table is for routes whose schemas do not carry
 * them yet (billing/billing.routes.ts) and can shrink as they do. test/api/openapi.test.ts fails on an operation
 * without a summary, so a new billing route shows up there.
 */
import type { ErrorCode } from '../../core/errors.js';

export interface RouteDocs {
  summary: string;
  problems?: readonly ErrorCode[];
}

const billingAdmins: ErrorCode[] = ['forbidden'];
const workspaceBilling: ErrorCode[] = ['forbidden'];

export const routeDocsOutsideFeatures: Readonly<Record<string, RouteDocs>> = {
  'GET /api/v1/billing/meters': { summary: 'List the meters' },
  'POST /api/v1/billing/meters': { summary: 'Create a meter (billing administrators)', problems: [...billingAdmins, 'conflict'] },
  'GET /api/v1/billing/plans': { summary: 'List the plans' },
  'GET /api/v1/billing/plans/:code': { summary: 'Get a plan' },
  'POST /api/v1/billing/plans': { summary: 'Create a plan (billing administrators)', problems: [...billingAdmins, 'conflict'] },
  'POST /api/v1/billing/events': { summary: "Post up to 1,000 usage events (a workspace admin's API token)", problems: ['forbidden'] },
  'PUT /api/v1/workspaces/:workspaceId/subscription': {
    summary: "Subscribe a workspace to a plan, or change its plan (workspace admins)",
    problems: [...workspaceBilling, 'conflict', 'unprocessable'],
  },
  'GET /api/v1/workspaces/:workspaceId/subscription': { summary: "A workspace's subscription (workspace admins)", problems: workspaceBilling },
  'DELETE /api/v1/workspaces/:workspaceId/subscription': {
    summary: 'Cancel a subscription at the end of the current period (workspace admins)',
    problems: [...workspaceBilling, 'conflict'],
  },
  'GET /api/v1/workspaces/:workspaceId/billing-settings': { summary: "A workspace's billing settings (workspace admins)", problems: workspaceBilling },
  'PUT /api/v1/workspaces/:workspaceId/billing-settings': { summary: "Set a workspace's tax rate (billing administrators)", problems: billingAdmins },
  'GET /api/v1/workspaces/:workspaceId/usage': { summary: "A workspace's usage in the current period (workspace admins)", problems: workspaceBilling },
  'GET /api/v1/workspaces/:workspaceId/invoices': { summary: "A workspace's invoices (workspace admins)", problems: workspaceBilling },
  'GET /api/v1/invoices/:invoiceId': { summary: 'Get an invoice (workspace admins)', problems: workspaceBilling },
  'GET /api/v1/invoices/:invoiceId/html': { summary: 'An invoice as printable HTML (workspace admins)', problems: workspaceBilling },
  'GET /api/v1/invoices/:invoiceId/lines/:lineId/events': { summary: 'The usage events counted in an invoice line (workspace admins)', problems: workspaceBilling },
  'POST /api/v1/invoices/:invoiceId/credit-notes': { summary: 'Credit an invoice (billing administrators)', problems: [...billingAdmins, 'unprocessable'] },
  'POST /api/v1/billing/test-clocks': { summary: 'Create a test clock (billing administrators)', problems: billingAdmins },
  'GET /api/v1/billing/test-clocks/:clockId': { summary: 'Get a test clock (billing administrators)', problems: billingAdmins },
  'POST /api/v1/billing/test-clocks/:clockId/advance': {
    summary: 'Move a test clock forward, closing the billing periods it passes (billing administrators)',
    problems: [...billingAdmins, 'unprocessable'],
  },
  'POST /api/v1/billing/simulate': { summary: "Simulate a plan's charges (billing administrators)", problems: billingAdmins },
};
