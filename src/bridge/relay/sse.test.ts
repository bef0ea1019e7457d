import { describe, expect, it } from 'vitest';

import { parseSse, type SseEvent } from './sse.js';

type TextEvent = Omit<SseEvent, 'data'> & { data: string };

async function events(body: AsyncIterable<Uint8Array>): Promise<TextEvent[]> {
  const out: TextEvent[] = [];
  for await (const e of parseSse(body)) out.push({ ...e, data: e.data.toString('utf8') });
  return out;
}

function collect(chunks: string[]): Promise<TextEvent[]> {
  const encoder = new TextEncoder();
  async function* body(): AsyncGenerator<Uint8Array> {
    for (const c of chunks) yield encoder.encode(c);
  }
  return events(body());
}

describe('parseSse', () => {
  it('parses go-sdk style events', async () => {
    expect(await collect(['event: message\ndata: {"a":1}\n\n', 'event: message\ndata: {"b":2}\n\n'])).toEqual([
      { event: 'message', data: '{"a":1}' },
      { event: 'message', data: '{"b":2}' },
    ]);
  });

  it('joins events split across chunks, at any byte', async () => {
    const text = 'data: {"x":"é"}\n\n';
    const bytes = new TextEncoder().encode(text);
    async function* body(): AsyncGenerator<Uint8Array> {
      for (const b of bytes) yield Uint8Array.of(b);
    }
    expect(await events(body())).toEqual([{ event: 'message', data: '{"x":"é"}' }]);
  });

  it('handles CRLF and CR line endings, comments, ids and multi-line data', async () => {
    expect(await collect([': keep-alive\r\nid: 7\r\ndata: one\r', '\ndata: two\r\n\r\n', 'data: three\r\r'])).toEqual([
      { event: 'message', data: 'one\ntwo', id: '7' },
      { event: 'message', data: 'three', id: '7' },
    ]);
  });

  it('flushes a final event without a trailing blank line', async () => {
    expect(await collect(['data: last'])).toEqual([{ event: 'message', data: 'last' }]);
  });

  it('reads a multi-megabyte data line', async () => {
    const big = 'x'.repeat(5 * 1024 * 1024);
    const chunks = [`data: ${big.slice(0, 1000)}`];
    for (let i = 1000; i < big.length; i += 65536) chunks.push(big.slice(i, i + 65536));
    chunks.push('\n\n');
    const [event] = await collect(chunks);
    expect(event?.data.length).toBe(big.length);
  });
});
