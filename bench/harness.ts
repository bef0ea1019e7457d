import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export const BIN = fileURLToPath(new URL('../bin/hoop-mcp.js', import.meta.url));
export const TOKEN = 'hoop-test-admin-token';

export interface GatewayProcess {
  url: string;
  stop(): Promise<void>;
}

export async function startGatewayProcess(): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./gateway-process.ts', import.meta.url))], { stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl !== -1) resolve(buf.slice(0, nl));
    });
    child.on('exit', (code) => reject(new Error(`gateway exited with ${String(code)}`)));
  });
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.on('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

export async function directClient(url: string): Promise<Client> {
  const client = new Client({ name: 'bench-direct', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/api/mcp`), { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } }));
  return client;
}

/** A client talking to hoop-mcp over stdio, and the bridge's pid for memory readings. */
export async function bridgeClient(url: string, command: { cmd: string; args: string[] } = { cmd: process.execPath, args: [BIN, '--gateway', url, '--log-level', 'warn'] }): Promise<{ client: Client; pid: number }> {
  const transport = new StdioClientTransport({
    command: command.cmd,
    args: command.args,
    env: { PATH: process.env.PATH ?? '', HOOP_TOKEN: TOKEN, HOOP_MCP_HOME: mkdtempSync(join(tmpdir(), 'hoop-mcp-bench-')) },
    stderr: process.env.BENCH_DEBUG ? 'inherit' : 'ignore',
  });
  const client = new Client({ name: 'bench-bridge', version: '1' });
  await client.connect(transport);
  const pid = transport.pid;
  if (pid === null) throw new Error('no bridge pid');
  return { client, pid };
}

/** VmRSS and VmHWM (peak) of a process, in bytes (Linux /proc). */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(/(\d+) kB/.exec(status.split('\n').find((l) => l.startsWith(key)) ?? '')?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS:'), peak: kb('VmHWM:') };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Spawns a command speaking newline-delimited JSON-RPC and times its answers to the lines given. */
export async function timeAnswers(launch: () => ChildProcess, lines: string[]): Promise<number[]> {
  const start = process.hrtime.bigint();
  const child = launch();
  const times: number[] = [];
  let buf = '';
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      while (buf.includes('\n')) {
        buf = buf.slice(buf.indexOf('\n') + 1);
        times.push(elapsedMs(start));
        const next = lines[times.length];
        if (next !== undefined) child.stdin?.write(`${next}\n`);
        if (times.length === lines.length) {
          child.kill();
          resolve(times);
        }
      }
    });
    child.stdin?.write(`${lines[0] ?? ''}\n`);
  });
}
