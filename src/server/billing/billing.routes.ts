/** Billing HTTP API: validate with the shared schemas, call the service, present. */
import { z } from 'zod';
import { meterSchema } from '../../core/billing/plan.js';
import { codeSchema } from '../../core/billing/codes.js';
import {
  billingSettingsBody,
  billingSettingsView,
  creditNoteBody,
  creditNoteView,
  ingestEventsBody,
  ingestEventsResult,
  invoiceView,
  meterView,
  planBody,
  planView,
  simulateBody,
  simulateResult,
  subscriptionBody,
  subscriptionList,
  subscriptionView,
  testClockBody,
  testClockView,
  traceEventView,
  usageView,
} from '../../core/schemas/billing.js';
import { idParams, idSchema, noQuery, pageOf, pageQuery, wholeCollectionOf } from '../../core/schemas/common.js';
import { requirePrincipal, requireUserId } from '../http/authentication.js';
import type { Api } from '../http/route-types.js';
import type { Billing } from './billing.module.js';

export function registerBillingRoutes(app: Api, billing: Billing): void {
  const tags = ['billing'];
  const workspaceParams = idParams('workspaceId');
  const invoiceParams = idParams('invoiceId');
  const clockParams = idParams('clockId');

  app.get(
    '/api/v1/billing/meters',
    { schema: { tags, summary: 'List the meters', querystring: noQuery, response: { 200: wholeCollectionOf(meterView) } } },
    async (request) => {
      requireUserId(request);
      return { items: await billing.meters.listMeters(), nextCursor: null };
    },
  );

  app.post(
    '/api/v1/billing/meters',
    {
      schema: {
        tags,
        summary: 'Create a meter (billing administrators)',
        problems: ['forbidden', 'conflict'],
        body: meterSchema,
        response: { 201: meterView },
      },
    },
    async (request, reply) => {
      await billing.access.requireAdmin(requireUserId(request));
      return reply.status(201).send(await billing.meters.createMeter(request.body));
    },
  );

  app.get(
    '/api/v1/billing/plans',
    { schema: { tags, summary: 'List the plans', querystring: noQuery, response: { 200: wholeCollectionOf(planView) } } },
    async (request) => {
      requireUserId(request);
      return { items: await billing.plans.listPlans(), nextCursor: null };
    },
  );

  app.get(
    '/api/v1/billing/plans/:code',
    { schema: { tags, summary: 'Get a plan', params: z.strictObject({ code: codeSchema }), response: { 200: planView } } },
    async (request) => {
      requireUserId(request);
      return billing.plans.requirePlan(request.params.code);
    },
  );

  app.post(
    '/api/v1/billing/plans',
    { schema: { tags, summary: 'Create a plan (billing administrators)', problems: ['forbidden', 'conflict'], body: planBody, response: { 201: planView } } },
    async (request, reply) => {
      await billing.access.requireAdmin(requireUserId(request));
      return reply.status(201).send(await billing.plans.createPlan(request.body));
    },
  );

  /** Up to 1,000 events; each is accepted, a duplicate (counted once), or rejected with a code. */
  app.post(
    '/api/v1/billing/events',
    {
      schema: {
        tags,
        summary: "Post up to 1,000 usage events (a workspace admin's API token)",
        problems: ['forbidden'],
        body: ingestEventsBody,
        response: { 200: ingestEventsResult },
      },
    },
    async (request) => billing.events.ingestEvents(requirePrincipal(request), request.body.events),
  );

  app.put(
    '/api/v1/workspaces/:workspaceId/subscription',
    {
      schema: {
        tags,
        summary: 'Subscribe a workspace to a plan, or change its plan (workspace admins)',
        problems: ['forbidden', 'conflict', 'unprocessable'],
        params: workspaceParams,
        body: subscriptionBody,
        response: { 200: subscriptionView, 201: subscriptionView },
      },
    },
    async (request, reply) => {
      const { created, subscription } = await billing.subscriptions.putSubscription(requireUserId(request), request.params.workspaceId, request.body);
      return reply.status(created ? 201 : 200).send(subscription);
    },
  );

  app.get(
    '/api/v1/workspaces/:workspaceId/subscription',
    {
      schema: {
        tags,
        summary: "A workspace's subscription (workspace admins)",
        problems: ['forbidden'],
        params: workspaceParams,
        response: { 200: subscriptionView },
      },
    },
    async (request) => billing.subscriptions.getSubscription(requireUserId(request), request.params.workspaceId),
  );

  app.get(
    '/api/v1/workspaces/:workspaceId/subscriptions',
    {
      schema: {
        tags,
        summary: "A workspace's subscription as a list, empty when it has none (workspace admins)",
        problems: ['forbidden'],
        params: workspaceParams,
        querystring: noQuery,
        response: { 200: subscriptionList },
      },
    },
    async (request) => ({ items: await billing.subscriptions.listSubscriptions(requireUserId(request), request.params.workspaceId), nextCursor: null }),
  );

  /** Cancels at the end of the current period. */
  app.delete(
    '/api/v1/workspaces/:workspaceId/subscription',
    {
      schema: {
        tags,
        summary: 'Cancel a subscription at the end of the current period (workspace admins)',
        problems: ['forbidden', 'conflict'],
        params: workspaceParams,
        response: { 200: subscriptionView },
      },
    },
    async (request) => billing.subscriptions.cancelSubscription(requireUserId(request), request.params.workspaceId),
  );

  app.get(
    '/api/v1/workspaces/:workspaceId/billing-settings',
    {
      schema: {
        tags,
        summary: "A workspace's billing settings (workspace admins)",
        problems: ['forbidden'],
        params: workspaceParams,
        response: { 200: billingSettingsView },
      },
    },
    async (request) => billing.subscriptions.getTaxRate(requireUserId(request), request.params.workspaceId),
  );

  app.put(
    '/api/v1/workspaces/:workspaceId/billing-settings',
    {
      schema: {
        tags,
        summary: "Set a workspace's tax rate (billing administrators)",
        problems: ['forbidden'],
        params: workspaceParams,
        body: billingSettingsBody,
        response: { 200: billingSettingsView },
      },
    },
    async (request) => billing.subscriptions.setTaxRate(requireUserId(request), request.params.workspaceId, request.body.taxRate),
  );

  app.get(
    '/api/v1/workspaces/:workspaceId/usage',
    {
      schema: {
        tags,
        summary: "A workspace's usage in the current period (workspace admins)",
        problems: ['forbidden'],
        params: workspaceParams,
        response: { 200: usageView },
      },
    },
    async (request) => billing.subscriptions.getUsage(requireUserId(request), request.params.workspaceId),
  );

  app.get(
    '/api/v1/workspaces/:workspaceId/invoices',
    {
      schema: {
        tags,
        summary: "A workspace's invoices (workspace admins)",
        problems: ['forbidden'],
        params: workspaceParams,
        querystring: pageQuery,
        response: { 200: pageOf(invoiceView) },
      },
    },
    async (request) => billing.invoices.listInvoices(requireUserId(request), request.params.workspaceId, request.query),
  );

  app.get(
    '/api/v1/invoices/:invoiceId',
    { schema: { tags, summary: 'Get an invoice (workspace admins)', problems: ['forbidden'], params: invoiceParams, response: { 200: invoiceView } } },
    async (request) => billing.invoices.getInvoice(requireUserId(request), request.params.invoiceId),
  );

  /** Printable HTML. */
  app.get(
    '/api/v1/invoices/:invoiceId/html',
    { schema: { tags, summary: 'An invoice as printable HTML (workspace admins)', problems: ['forbidden'], params: invoiceParams } },
    async (request, reply) => {
      const html = await billing.invoices.renderInvoice(requireUserId(request), request.params.invoiceId);
      return reply.type('text/html; charset=utf-8').header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'").send(html);
    },
  );

  app.get(
    '/api/v1/invoices/:invoiceId/lines/:lineId/events',
    {
      schema: {
        tags,
        summary: 'The usage events counted in an invoice line (workspace admins)',
        problems: ['forbidden'],
        params: z.strictObject({ invoiceId: idSchema, lineId: idSchema }),
        querystring: pageQuery,
        response: { 200: pageOf(traceEventView) },
      },
    },
    async (request) => billing.invoices.listLineEvents(requireUserId(request), request.params.invoiceId, request.params.lineId, request.query),
  );

  app.post(
    '/api/v1/invoices/:invoiceId/credit-notes',
    {
      schema: {
        tags,
        summary: 'Credit an invoice (billing administrators)',
        problems: ['forbidden', 'unprocessable'],
        params: invoiceParams,
        body: creditNoteBody,
        response: { 201: creditNoteView },
      },
    },
    async (request, reply) => reply.status(201).send(await billing.invoices.createCreditNote(requireUserId(request), request.params.invoiceId, request.body)),
  );

  app.post(
    '/api/v1/billing/test-clocks',
    {
      schema: { tags, summary: 'Create a test clock (billing administrators)', problems: ['forbidden'], body: testClockBody, response: { 201: testClockView } },
    },
    async (request, reply) => reply.status(201).send(await billing.testClocks.createTestClock(requireUserId(request), request.body.frozenTime)),
  );

  app.get(
    '/api/v1/billing/test-clocks/:clockId',
    { schema: { tags, summary: 'Get a test clock (billing administrators)', problems: ['forbidden'], params: clockParams, response: { 200: testClockView } } },
    async (request) => billing.testClocks.getTestClock(requireUserId(request), request.params.clockId),
  );

  app.post(
    '/api/v1/billing/test-clocks/:clockId/advance',
    {
      schema: {
        tags,
        summary: 'Move a test clock forward, closing the billing periods it passes (billing administrators)',
        description: 'At most 731 days at a time (422 naming frozenTime otherwise): every period passed is closed within the request.',
        problems: ['forbidden', 'unprocessable'],
        params: clockParams,
        body: testClockBody,
        response: {
          200: testClockView.extend({
            closed: z.object({ periodsClosed: z.number(), invoicesFinalized: z.number(), skippedBusy: z.number(), failed: z.number() }),
          }),
        },
      },
    },
    async (request) => billing.testClocks.advanceTestClock(requireUserId(request), request.params.clockId, request.body.frozenTime),
  );

  app.post(
    '/api/v1/billing/simulate',
    {
      schema: {
        tags,
        summary: "Simulate a plan's charges (billing administrators)",
        problems: ['forbidden'],
        body: simulateBody,
        response: { 200: simulateResult },
      },
    },
    async (request) => {
      await billing.access.requireAdmin(requireUserId(request));
      return billing.simulator.simulate(request.body);
    },
  );
}
