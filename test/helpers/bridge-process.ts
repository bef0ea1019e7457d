import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ClientCapabilities, JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export const BIN = fileURLToPath(new URL('../../bin/hoop-mcp.js', import.meta.url));

export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'hoop-mcp-test-'));
}

/** The built bin, spawned as an MCP client would, with every stdout byte kept for inspection. */
export class BridgeProcess implements Transport {
  readonly child: ChildProcessWithoutNullStreams;
  readonly stdoutChunks: Buffer[] = [];
  stderrText = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  onmessage?: (message: JSONRPCMessage) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  private readonly buffer = new ReadBuffer();

  constructor(args: string[], env: Record<string, string | undefined>) {
    this.child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.stdoutChunks.push(chunk);
      this.buffer.append(chunk);
      for (;;) {
        let message: JSONRPCMessage | null;
        try {
          message = this.buffer.readMessage();
        } catch (err) {
          this.onerror?.(err as Error);
          continue;
        }
        if (message === null) break;
        this.onmessage?.(message);
      }
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderrText += chunk.toString('utf8');
    });
    this.child.on('close', () => this.onclose?.());
  }

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage): Promise<void> {
    this.child.stdin.write(serializeMessage(message));
  }

  /** Writes raw bytes, for garbage-input tests. */
  writeRaw(data: string | Buffer): void {
    this.child.stdin.write(data);
  }

  async close(): Promise<void> {
    this.child.stdin.end();
    await this.exited;
  }

  /** Everything the process wrote to stdout so far. */
  stdout(): Buffer {
    return Buffer.concat(this.stdoutChunks);
  }

  /** Parsed stdout lines (throws if any line is not JSON). */
  stdoutMessages(): unknown[] {
    return this.stdout()
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as unknown);
  }
}

export interface ConnectOptions {
  args?: string[];
  env?: Record<string, string | undefined>;
  capabilities?: ClientCapabilities;
  clientName?: string;
}

/** Spawns the bridge and connects the SDK's Client to it, as Claude Code or Cursor would. */
export async function connectBridge(opts: ConnectOptions = {}): Promise<{ client: Client; bridge: BridgeProcess }> {
  const bridge = new BridgeProcess(opts.args ?? [], { HOOP_MCP_HOME: tempHome(), ...opts.env });
  const client = new Client({ name: opts.clientName ?? 'e2e-client', version: '9.9.9' }, { capabilities: opts.capabilities ?? {} });
  await client.connect(bridge);
  return { client, bridge };
}
