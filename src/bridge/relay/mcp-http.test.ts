import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { Credentials } from '../../gateway/credentials.js';
import type { FetchLike } from '../../gateway/http.js';
import { GatewayError } from '../../shared/errors.js';
import { RawResponse } from '../../shared/jsonrpc.js';
import { createLogger } from '../../shared/log.js';
import { Redactor } from '../../shared/redact.js';
import { McpHttp } from './mcp-http.js';

const ENDPOINT = 'https://gw.test/api/mcp';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function client(token: string | null = 'user-token-123456'): { http: McpHttp; credentials: Credentials } {
  const redactor = new Redactor();
  const credentials = new Credentials(redactor);
  if (token !== null) credentials.use(token, 'env');
  const logger = createLogger({ level: 'error', redactor, stderr: { write: () => true } });
  // msw intercepts the global fetch; production code gets undici's fetch through the same seam.
  const fetch: FetchLike = (url, init) => globalThis.fetch(url, init);
  return { http: new McpHttp({ endpoint: new URL(ENDPOINT), gateway: 'https://gw.test', fetch, credentials, userAgent: 'hoop-mcp/test', logger }), credentials };
}

const ping = { jsonrpc: '2.0', id: 1, method: 'ping' };
const signal = (): AbortSignal => AbortSignal.timeout(5_000);

async function postError(respond: () => Response, session: { sessionId?: string } = {}): Promise<GatewayError> {
  server.use(http.post(ENDPOINT, respond));
  const { http: h } = client();
  try {
    const outcome = await h.post(ping, session, signal());
    if (outcome.kind === 'messages') for await (const _ of outcome.messages) void _;
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected a GatewayError');
}

describe('McpHttp requests', () => {
  it('sends what go-sdk requires: exact content type, both accept types, session and protocol headers', async () => {
    let seen: Headers | undefined;
    server.use(
      http.post(ENDPOINT, ({ request }) => {
        seen = request.headers;
        return new HttpResponse(null, { status: 202 });
      }),
    );
    const { http: h } = client('xapi-serverkey');
    expect(await h.post(ping, { sessionId: 'S1', protocolVersion: '2025-06-18' }, signal())).toEqual({ kind: 'accepted' });
    expect(seen?.get('content-type')).toBe('application/json');
    expect(seen?.get('accept')).toBe('application/json, text/event-stream');
    expect(seen?.get('mcp-session-id')).toBe('S1');
    expect(seen?.get('mcp-protocol-version')).toBe('2025-06-18');
    expect(seen?.get('authorization')).toBe('Bearer xapi-serverkey');
    expect(seen?.get('api-key')).toBe('xapi-serverkey');
    expect(seen?.get('user-agent')).toBe('hoop-mcp/test');
  });

  it('reads SSE and JSON answers', async () => {
    server.use(
      http.post(ENDPOINT, () => new HttpResponse('event: message\ndata: {"jsonrpc":"2.0","id":1,"result":{}}\n\n', { headers: { 'content-type': 'text/event-stream', 'mcp-session-id': 'NEW' } })),
    );
    const { http: h } = client();
    const outcome = await h.post(ping, {}, signal());
    expect(outcome.kind === 'messages' && outcome.sessionId).toBe('NEW');
    const got: unknown[] = [];
    if (outcome.kind === 'messages') for await (const m of outcome.messages) got.push(m);
    expect(got).toEqual([{ jsonrpc: '2.0', id: 1, result: {} }]);

    server.use(http.post(ENDPOINT, () => HttpResponse.json([{ jsonrpc: '2.0', id: 1, result: { a: 1 } }])));
    const json = await h.post(ping, {}, signal());
    const all: unknown[] = [];
    if (json.kind === 'messages') for await (const m of json.messages) all.push(m);
    expect(all).toEqual([{ jsonrpc: '2.0', id: 1, result: { a: 1 } }]);
  });

  it('uses a rotated token from X-New-Access-Token for the next request', async () => {
    const auth: Array<string | null> = [];
    server.use(
      http.post(ENDPOINT, ({ request }) => {
        auth.push(request.headers.get('authorization'));
        return new HttpResponse(null, { status: 202, headers: { 'x-new-access-token': 'rotated-token-abcdef' } });
      }),
    );
    const { http: h, credentials } = client('first-token-abcdef');
    await h.post(ping, {}, signal());
    await h.post(ping, {}, signal());
    expect(auth).toEqual(['Bearer first-token-abcdef', 'Bearer rotated-token-abcdef']);
    expect(credentials.current()).toBe('rotated-token-abcdef');
  });

  it('refuses to send anything without a token, and says how to log in', async () => {
    const { http: h } = client(null);
    await expect(h.post(ping, {}, signal())).rejects.toMatchObject({ kind: 'not-logged-in', message: expect.stringContaining('npx hoop-mcp login') });
  });
});

describe('McpHttp failures', () => {
  it.each([
    [401, { message: 'access denied' }, 'unauthorized', /expired or revoked; run: npx hoop-mcp login/],
    [403, { message: 'access denied' }, 'forbidden', /your Hoop role does not allow this/],
    [500, { message: 'internal server error' }, 'server-error', /HTTP 500: internal server error/],
    [502, undefined, 'server-error', /HTTP 502/],
    [429, { message: 'slow down' }, 'http-error', /HTTP 429: slow down/],
  ])('HTTP %i becomes %s', async (status, body, kind, text) => {
    const err = await postError(() => (body ? HttpResponse.json(body, { status }) : new HttpResponse(null, { status })));
    expect(err.kind).toBe(kind);
    expect(err.message).toMatch(text);
  });

  it('tells a dead session (404 with a session id) from a gateway without /api/mcp (404 without)', async () => {
    const dead = await postError(() => new HttpResponse('session not found', { status: 404, headers: { 'content-type': 'text/plain' } }), { sessionId: 'OLD' });
    expect(dead.kind).toBe('session-expired');
    const old = await postError(() => new HttpResponse('404 page not found', { status: 404, headers: { 'content-type': 'text/plain' } }));
    expect(old.kind).toBe('mcp-unavailable');
    expect(old.message).toContain('does not serve MCP at https://gw.test/api/mcp');
  });

  it('reports a non-MCP content type (a login page, a proxy error) as malformed', async () => {
    const err = await postError(() => new HttpResponse('<html>', { headers: { 'content-type': 'text/html' } }));
    expect(err.kind).toBe('malformed');
    expect(err.message).toMatch(/text\/html.*is this the address of a Hoop gateway/);
  });

  it('reports invalid JSON inside the event stream as malformed', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('data: {not json\n\n'));
      },
    });
    const err = await postError(() => new HttpResponse(stream, { headers: { 'content-type': 'text/event-stream' } }));
    expect(err.kind).toBe('malformed');
  });

  it('reports a network failure as unreachable, with what to check', async () => {
    const err = await postError(() => HttpResponse.error());
    expect(err.kind).toBe('unreachable');
    expect(err.message).toContain('https://gw.test');
  });

  it('never puts the token in an error message', async () => {
    const err = await postError(() => HttpResponse.json({ message: 'bad token user-token-123456' }, { status: 401 }));
    const redactor = new Redactor();
    redactor.add('user-token-123456');
    expect(redactor.redact(err.message)).not.toContain('user-token-123456');
  });
});

describe('McpHttp, large results', () => {
  const big = { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'é'.repeat(700_000) }] } };
  const sse = (): Response => new Response(`event: message\ndata: ${JSON.stringify(big)}\n\n`, { headers: { 'content-type': 'text/event-stream' } });

  async function first(keepLarge: boolean): Promise<unknown> {
    server.use(http.post(ENDPOINT, sse));
    const outcome = await client().http.post(ping, {}, signal(), keepLarge);
    if (outcome.kind !== 'messages') throw new Error('no messages');
    for await (const message of outcome.messages) return message;
    return undefined;
  }

  it('come as bytes when asked for, and parsed otherwise', async () => {
    const raw = await first(true);
    expect(raw).toBeInstanceOf(RawResponse);
    expect(raw instanceof RawResponse && JSON.parse(raw.result.bytes.toString('utf8'))).toEqual(big.result);
    expect(await first(false)).toEqual(big);
  });
});
