import type { PassThrough } from 'node:stream';

import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** An SDK client transport over in-memory pipes, for a bridge run in the same process (runServe with PassThrough stdio). */
export class PipeTransport implements Transport {
  onmessage?: (m: JSONRPCMessage) => void;
  onclose?: () => void;
  onerror?: (e: Error) => void;
  private readonly buffer = new ReadBuffer();

  constructor(
    private readonly toBridge: PassThrough,
    fromBridge: PassThrough,
  ) {
    fromBridge.on('data', (chunk: Buffer) => {
      this.buffer.append(chunk);
      for (let m = this.buffer.readMessage(); m !== null; m = this.buffer.readMessage()) this.onmessage?.(m);
    });
  }

  async start(): Promise<void> {}

  async send(m: JSONRPCMessage): Promise<void> {
    this.toBridge.write(serializeMessage(m));
  }

  async close(): Promise<void> {
    this.toBridge.end();
    this.onclose?.();
  }
}
