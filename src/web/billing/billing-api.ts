/** Calls of the billing API, validated with the shared schemas of `src/core`. */
import { z } from 'zod';
import {
  invoiceView,
  planView,
  simulateResult,
  subscriptionList,
  usageView,
  type InvoiceView,
  type PlanBody,
  type PlanView,
  type SimulateBody,
  type SimulateResult,
  type SubscriptionView,
  type UsageView,
} from '../../core/schemas/billing.js';
import { pageOf } from '../../core/schemas/common.js';
import { ApiError, apiRequest } from '../api/client.js';

const id = (value: string) => encodeURIComponent(value);
const invoicePage = pageOf(invoiceView);
const planList = z.object({ items: z.array(planView) });

/** `null` for a 404: the workspace has no subscription (yet). */
async function orNull<T>(request: Promise<T>): Promise<T | null> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof ApiError && error.code === 'not_found') return null;
    throw error;
  }
}

export const billingApi = {
  /** Through the list, which is empty rather than 404 when there is none: the browser logs every 404 to its console. */
  getSubscription: async (workspaceId: string, signal?: AbortSignal): Promise<SubscriptionView | null> =>
    (await apiRequest('GET', `/workspaces/${id(workspaceId)}/subscriptions`, { schema: subscriptionList, ...(signal ? { signal } : {}) })).items[0] ?? null,
  getUsage: (workspaceId: string, signal?: AbortSignal): Promise<UsageView | null> =>
    orNull(apiRequest('GET', `/workspaces/${id(workspaceId)}/usage`, { schema: usageView, ...(signal ? { signal } : {}) })),
  /** The most recent invoices (first page). */
  listInvoices: async (workspaceId: string, signal?: AbortSignal): Promise<InvoiceView[]> =>
    (await apiRequest('GET', `/workspaces/${id(workspaceId)}/invoices?limit=50`, { schema: invoicePage, ...(signal ? { signal } : {}) })).items,
  getInvoice: (invoiceId: string): Promise<InvoiceView> => apiRequest('GET', `/invoices/${id(invoiceId)}`, { schema: invoiceView }),
  /** The printable invoice, opened by the browser itself (it sends the session cookie). */
  invoiceHtmlUrl: (invoiceId: string): string => `/api/v1/invoices/${id(invoiceId)}/html`,

  getPlan: (code: string, signal?: AbortSignal): Promise<PlanView | null> =>
    orNull(apiRequest('GET', `/billing/plans/${id(code)}`, { schema: planView, ...(signal ? { signal } : {}) })),
  listPlans: async (): Promise<PlanView[]> => (await apiRequest('GET', '/billing/plans', { schema: planList })).items,
  createPlan: (plan: PlanBody): Promise<PlanView> => apiRequest('POST', '/billing/plans', { body: plan, schema: planView }),
  simulate: (body: SimulateBody): Promise<SimulateResult> => apiRequest('POST', '/billing/simulate', { body, schema: simulateResult }),
};
