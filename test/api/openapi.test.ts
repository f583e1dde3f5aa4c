/**
 * The OpenAPI document at /api/openapi.json tells a client what it needs to handle errors: every operation has a
 * summary and its error statuses (problem+json, the one `Problem` schema), keyed POSTs take `Idempotency-Key`, and
 * what the server really answers matches what the document says.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createList, createUser } from '../support/client.js';
import { makePng } from '../support/images.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { upload } from '../support/uploads.js';

type Json = any;
const methods = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;
const problemRef = '#/components/schemas/Problem';

interface Operation {
  method: string;
  path: string;
  op: Json;
}

function operationsOf(doc: Json): Operation[] {
  return Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
    methods.filter((method) => item[method]).map((method) => ({ method, path, op: item[method] })),
  );
}

/** Required unless the operation says `security: []` or offers `{}` (anonymous) among its choices. */
function requiresAuthentication(doc: Json, op: Json): boolean {
  const security: Json[] = op.security ?? doc.security ?? [];
  return security.length > 0 && security.every((choice) => Object.keys(choice).length > 0);
}

function resolvePointer(doc: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<Json>((node, key) => (node === undefined || node === null ? undefined : node[key]), doc);
}

function collectRefs(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((item) => collectRefs(item, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.push(value);
      else collectRefs(value, found);
    }
  }
  return found;
}

describe('the OpenAPI document', () => {
  let server: TestServer;
  let doc: Json;
  let operations: Operation[];

  beforeAll(async () => {
    // The document does not depend on the database: SQLite is enough.
    server = await startTestServer('sqlite');
    const response = await fetch(`${server.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    doc = await response.json();
    operations = operationsOf(doc);
  });
  afterAll(() => server.close());

  it('is a structurally valid OpenAPI 3.1 document', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toEqual(expect.objectContaining({ title: expect.any(String), version: expect.any(String) }));
    expect(operations.length).toBeGreaterThan(50);

    const problems: string[] = [];
    for (const { method, path, op } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      if (!path.startsWith('/') || path.includes(':')) problems.push(`${where}: path is not an OpenAPI template`);
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      const parameters: Json[] = op.parameters ?? [];
      const pathParameters = parameters.filter((p) => p.in === 'path').map((p) => p.name);
      if ([...templated].sort().join() !== [...pathParameters].sort().join())
        problems.push(`${where}: path parameters ${pathParameters} do not match the template`);
      const seen = new Set<string>();
      for (const parameter of parameters) {
        if (!['query', 'header', 'path', 'cookie'].includes(parameter.in)) problems.push(`${where}: parameter ${parameter.name} is in ${parameter.in}`);
        if (parameter.in === 'path' && parameter.required !== true) problems.push(`${where}: path parameter ${parameter.name} is not required`);
        if (!parameter.schema && !parameter.content) problems.push(`${where}: parameter ${parameter.name} has no schema`);
        const key = `${parameter.in}:${String(parameter.name).toLowerCase()}`;
        if (seen.has(key)) problems.push(`${where}: parameter ${parameter.name} twice`);
        seen.add(key);
      }
      const statuses = Object.keys(op.responses ?? {});
      if (statuses.length === 0) problems.push(`${where}: no responses`);
      if (!statuses.some((status) => /^[23]/.test(status))) problems.push(`${where}: no success response`);
      for (const [status, response] of Object.entries<Json>(op.responses ?? {})) {
        if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(status)) problems.push(`${where}: response key ${status}`);
        if (typeof response.description !== 'string') problems.push(`${where} ${status}: no description`);
      }
      for (const choice of (op.security ?? []) as Json[]) {
        for (const scheme of Object.keys(choice)) {
          if (!doc.components.securitySchemes[scheme]) problems.push(`${where}: unknown security scheme ${scheme}`);
        }
      }
    }
    for (const ref of new Set(collectRefs(doc))) {
      if (resolvePointer(doc, ref) === undefined) problems.push(`unresolved $ref ${ref}`);
    }
    expect(problems).toEqual([]);

    // Every component schema is valid JSON Schema 2020-12 (the dialect of OpenAPI 3.1).
    const ajv = new Ajv2020({ strict: false });
    for (const [name, schema] of Object.entries<Json>(doc.components.schemas)) {
      expect(() => ajv.compile(schema), name).not.toThrow();
    }
  });

  it('gives every operation a summary', () => {
    const without = operations.filter(({ op }) => typeof op.summary !== 'string' || op.summary.trim() === '').map(({ method, path }) => `${method} ${path}`);
    expect(without).toEqual([]);
  });

  it('documents 401 with the Problem schema on every operation that needs a principal, and errors everywhere', () => {
    const missing: string[] = [];
    for (const { method, path, op } of operations) {
      const errors = Object.entries<Json>(op.responses).filter(([status]) => /^[45]|^default$/.test(status));
      if (errors.length === 0) missing.push(`${method} ${path}: no error response`);
      for (const [status, response] of errors) {
        if (response.content?.['application/problem+json']?.schema?.$ref !== problemRef) missing.push(`${method} ${path} ${status}: not a Problem`);
      }
      if (requiresAuthentication(doc, op) && !op.responses['401']) missing.push(`${method} ${path}: no 401`);
    }
    expect(missing).toEqual([]);
    expect(doc.components.schemas.Problem).toMatchObject({ type: 'object', required: expect.arrayContaining(['type', 'title', 'status', 'code', 'detail']) });
    // The public routes say so, and answer no 401 for a missing principal.
    expect(doc.paths['/api/v1/auth/signup'].post.security).toEqual([]);
    expect(doc.paths['/api/v1/auth/signup'].post.responses['401']).toBeUndefined();
    expect(doc.paths['/api/v1/auth/login'].post.responses['429'].headers['Retry-After']).toBeDefined();
  });

  it("documents the body of every operation that takes one, the upload's multipart form included", async () => {
    // An operation answering 415 reads a body: a client must find out from the document what to send.
    const without = operations.filter(({ op }) => op.responses['415'] && !op.requestBody).map(({ method, path }) => `${method} ${path}`);
    expect(without).toEqual([]);

    const form = doc.paths['/api/v1/uploads'].post.requestBody.content['multipart/form-data'].schema;
    expect(form).toMatchObject({
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' }, workspaceId: { type: 'string' } },
    });
    // And a form sent as documented is taken: the named workspace, the file's bytes.
    const { client } = await createUser(server.url);
    const { workspaceId } = await createList(client);
    const png = await makePng();
    const created = await upload(client, png, 'photo.png', { fields: { workspaceId } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ workspaceId, kind: 'image', size: png.length });
  });

  it('documents 404 on GET /api/v1/tasks/{taskId}', () => {
    const notFound = doc.paths['/api/v1/tasks/{taskId}'].get.responses['404'];
    expect(notFound.content['application/problem+json'].schema.$ref).toBe(problemRef);
    expect(notFound.description).toContain('not_found');
  });

  it('documents Idempotency-Key on keyed POSTs, with its limit, and Idempotent-Replayed on their responses', () => {
    const missing: string[] = [];
    for (const { method, path, op } of operations) {
      if (method !== 'post') continue;
      const key = (op.parameters ?? []).find((p: Json) => p.in === 'header' && p.name === 'Idempotency-Key');
      // An upload's body is streamed by its handler, after the key would be checked: not keyed (idempotency.ts).
      const streamed = path === '/api/v1/uploads';
      // A body holding a password is not keyed either: its hash would be kept (bodyHoldsSecret in idempotency.ts).
      const passwordInBody = path === '/api/v1/auth/signup' || path === '/api/v1/auth/login';
      const publicRoute = Array.isArray(op.security) && op.security.length === 0;
      if (streamed || passwordInBody || publicRoute) {
        if (key) missing.push(`${path}: documents a key it does not apply`);
        continue;
      }
      if (!key) missing.push(`${path}: no Idempotency-Key`);
      else if (key.required !== false || key.schema.maxLength !== 255) missing.push(`${path}: key ${JSON.stringify(key)}`);
      const success = Object.entries<Json>(op.responses).find(([status]) => status.startsWith('2'))?.[1];
      if (!success?.headers?.['Idempotent-Replayed']) missing.push(`${path}: no Idempotent-Replayed on success`);
      if (!op.responses['409'] || !op.responses['422']) missing.push(`${path}: idempotency errors`);
    }
    expect(missing).toEqual([]);
    // A PATCH that passes the key on as the mutation id documents it too, without a stored response, and says a retry
    // under the same key is not made again.
    const keyOf = (op: Json) => op.parameters.find((p: Json) => p.in === 'header' && p.name === 'Idempotency-Key');
    const patch = doc.paths['/api/v1/tasks/{taskId}'].patch;
    expect(keyOf(patch).description).toMatch(/not made again/);
    expect(keyOf(doc.paths['/api/v1/tasks/{taskId}'].delete).description).toMatch(/not made again/);
    expect(keyOf(doc.paths['/api/v1/lists/{listId}'].patch).description).toMatch(/not made again/);
    expect(keyOf(doc.paths['/api/v1/workspaces/{workspaceId}/members/{userId}'].patch).description).not.toMatch(/not made again/);
    expect(patch.responses['200'].headers?.['Idempotent-Replayed']).toBeUndefined();
  });

  it('says what the server does: unauthenticated GETs answer 401, the optional ones 200', async () => {
    const wrong: string[] = [];
    const anyId = '00000000-0000-4000-8000-000000000000';
    for (const { method, path, op } of operations) {
      if (method !== 'get') continue;
      if ((op.parameters ?? []).some((p: Json) => p.in === 'query' && p.required)) continue;
      const response = await fetch(server.url + path.replaceAll(/\{[^}]+\}/g, anyId));
      const expected = requiresAuthentication(doc, op) ? 401 : 200;
      if (response.status !== expected) wrong.push(`GET ${path}: ${response.status}, documented ${expected}`);
      await response.body?.cancel();
    }
    expect(wrong).toEqual([]);
  });

  it('sends problems that validate against the documented Problem schema', async () => {
    const validate = new Ajv2020({ strict: false }).compile(doc.components.schemas.Problem);
    const { client } = await createUser(server.url);
    const list = await createList(client);
    const responses = {
      notFound: await client.get('/api/v1/tasks/00000000-0000-4000-8000-000000000000'),
      invalid: await client.post(`/api/v1/lists/${list.id}/tasks`, { title: 42, surprise: true }),
      unauthenticated: await new ApiClient(server.url).get('/api/v1/me'),
      malformed: await client.post('/api/v1/lists', '{"name":'),
    };
    expect(responses.notFound.status).toBe(404);
    expect(responses.invalid.status).toBe(400);
    expect(responses.unauthenticated.status).toBe(401);
    expect(responses.malformed.status).toBe(400);
    for (const [name, response] of Object.entries(responses)) {
      expect(response.headers.get('content-type'), name).toMatch(/^application\/problem\+json/);
      expect(validate(response.body), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    expect(responses.invalid.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'title' })]));

    // A retry with the same key is the stored response, with the header the document names.
    const key = `openapi-${list.id}`;
    const first = await client.post('/api/v1/lists', { name: 'Keyed' }, { 'idempotency-key': key });
    const retry = await client.post('/api/v1/lists', { name: 'Keyed' }, { 'idempotency-key': key });
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
  });
});
