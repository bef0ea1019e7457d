import { describe, expect, it } from 'vitest';

import { RawResponse, rawResponse } from './jsonrpc.js';
import { RawToolResult } from './mcp.js';

const bytes = (value: unknown): Buffer => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('rawResponse', () => {
  it('keeps the result as its bytes, with its members located', () => {
    const result = { content: [{ type: 'text', text: 'é "quoted" \u2028' }], isError: true };
    const raw = rawResponse(bytes({ result, jsonrpc: '2.0', id: 'call-7' }));
    expect(raw).toBeInstanceOf(RawResponse);
    expect(raw?.id).toBe('call-7');
    expect(JSON.parse(raw?.result.bytes.toString() ?? '')).toEqual(result);
    expect(raw?.result.member('isError')).toBe('true');
    expect(raw?.result.member('structuredContent')).toBeUndefined();
    expect(raw?.result.parse()).toEqual(result);
    expect(raw && new RawToolResult(raw.result).isError).toBe(true);
  });

  it.each([
    ['an error response', { jsonrpc: '2.0', id: 1, error: { code: -1, message: 'no' } }],
    ['a request', { jsonrpc: '2.0', id: 1, method: 'ping', result: {} }],
    ['a result that is not an object', { jsonrpc: '2.0', id: 1, result: [1] }],
    ['a missing id', { jsonrpc: '2.0', result: {} }],
    ['an id of the wrong type', { jsonrpc: '2.0', id: true, result: {} }],
    ['another JSON-RPC version', { jsonrpc: '1.0', id: 1, result: {} }],
    ['newlines between tokens (they would break stdio framing)', '{"jsonrpc":"2.0",\n"id":1,"result":{}}'],
    ['text that is not JSON', '{"jsonrpc":"2.0","id":1,"result":{}'],
  ])('leaves %s to the ordinary parser', (_, value) => {
    expect(rawResponse(bytes(value))).toBeUndefined();
  });

  it('leaves bytes that are not UTF-8 to the ordinary parser', () => {
    const buf = Buffer.concat([bytes('{"jsonrpc":"2.0","id":1,"result":{"t":"'), Buffer.from([0xff]), bytes('"}}')]);
    expect(rawResponse(buf)).toBeUndefined();
  });
});
