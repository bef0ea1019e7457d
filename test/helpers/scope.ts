import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterEach } from 'vitest';

import { startGateway, type GatewayFixture, type GatewayFixtureOptions } from '../fixtures/gateway.js';

/** Gateways started through the returned function are stopped after each test. */
export function gatewayScope(defaults: GatewayFixtureOptions = {}): (opts?: GatewayFixtureOptions) => Promise<GatewayFixture> {
  const started: GatewayFixture[] = [];
  afterEach(async () => {
    for (const gw of started.splice(0)) await gw.stop();
  });
  return async (opts = {}) => {
    const gw = await startGateway({ pollMs: 50, ...defaults, ...opts });
    started.push(gw);
    return gw;
  };
}

/** Clients passed to the returned function are closed (and their bridges exit) after each test. */
export function clientScope(): <T extends { client: Client }>(conn: T) => T {
  const open: Client[] = [];
  afterEach(async () => {
    for (const client of open.splice(0)) await client.close().catch(() => undefined);
  });
  return (conn) => {
    open.push(conn.client);
    return conn;
  };
}

/** The text of a tool result, joined. */
export function resultText(result: object): string {
  const content = 'content' in result ? result.content : undefined;
  const items: unknown[] = Array.isArray(content) ? content : [];
  return items.map((c) => (typeof c === 'object' && c !== null && 'text' in c && typeof c.text === 'string' ? c.text : '')).join('\n');
}
