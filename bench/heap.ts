/**
 * Leak check for `npm run bench`, run in its own process with --expose-gc: the bridge runs in
 * this process (stdio replaced by in-memory pipes) so the heap can be measured after a full GC,
 * at the 2nd thousand calls and at the last. RSS alone cannot tell a leak from a lazy collector.
 * Prints one JSON line: { "second": bytes, "last": bytes, "calls": n }.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';

import { runServe, serveOptionsFromFlags } from '../src/commands/serve.js';
import { PipeTransport } from '../test/helpers/pipe-transport.js';
import { TOKEN } from './harness.js';

const [url, total = '10000'] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc;
if (url === undefined || gc === undefined) throw new Error('usage: node --expose-gc --import tsx bench/heap.ts <gateway-url> [calls]');
const env = { HOOP_TOKEN: TOKEN, HOOP_MCP_HOME: mkdtempSync(join(tmpdir(), 'hoop-mcp-heap-')), PATH: process.env.PATH };
const stdin = new PassThrough();
const stdout = new PassThrough();
await runServe({ ...(await serveOptionsFromFlags({ gateway: url, backend: 'mcp', logLevel: 'error' }, env)), io: { stdin, stdout }, env, exit: () => undefined });
const client = new Client({ name: 'bench-heap', version: '1' });
await client.connect(new PipeTransport(stdin, stdout));

const calls = Number(total);
const heapAt: number[] = [];
for (let done = 0; done < calls; done += 1000) {
  let next = done;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < done + 1000) await client.callTool({ name: 'bench_echo', arguments: { n: next++ } });
    }),
  );
  gc();
  gc();
  heapAt.push(process.memoryUsage().heapUsed);
}
process.stdout.write(`${JSON.stringify({ second: heapAt[1] ?? heapAt[0], last: heapAt.at(-1), calls })}\n`);
process.exit(0);
