/** One server-sent event. `data` joins multi-line data with "\n", as the SSE spec says; it stays bytes. */
export interface SseEvent {
  event: string;
  data: Buffer;
  id?: string;
}

const LF = 0x0a;
const CR = 0x0d;
const NEWLINE = Buffer.from('\n');

/**
 * Parses an SSE byte stream. Data stays in bytes, so a 20 MB `data:` line costs one copy (the
 * pieces joined into a line) and can be passed on without ever becoming a string.
 */
export async function* parseSse(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<SseEvent> {
  let pieces: Buffer[] = [];
  let data: Buffer[] = [];
  let event = '';
  let id: string | undefined;
  let sawCR = false;

  function* line(text: Buffer): Generator<SseEvent> {
    if (text.length === 0) {
      if (data.length > 0) {
        const joined = data.length === 1 ? (data[0] as Buffer) : Buffer.concat(data.flatMap((d, i) => (i === 0 ? [d] : [NEWLINE, d])));
        yield { event: event === '' ? 'message' : event, data: joined, ...(id !== undefined ? { id } : {}) };
      }
      data = [];
      event = '';
      return;
    }
    if (text[0] === 0x3a) return;
    const colon = text.indexOf(0x3a);
    const field = (colon === -1 ? text : text.subarray(0, colon)).toString('utf8');
    let value = colon === -1 ? text.subarray(text.length) : text.subarray(colon + 1);
    if (value[0] === 0x20) value = value.subarray(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value.toString('utf8');
    else if (field === 'id') id = value.toString('utf8');
  }

  function* flush(): Generator<SseEvent> {
    const joined = pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces);
    pieces = [];
    yield* line(joined);
  }

  for await (const received of body) {
    let chunk = typeof received === 'string' ? Buffer.from(received) : Buffer.from(received.buffer, received.byteOffset, received.byteLength);
    if (sawCR && chunk[0] === LF) chunk = chunk.subarray(1);
    sawCR = false;
    let start = 0;
    let lf = chunk.indexOf(LF);
    let cr = chunk.indexOf(CR);
    while (lf !== -1 || cr !== -1) {
      const at = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      pieces.push(chunk.subarray(start, at));
      yield* flush();
      start = at + 1;
      if (at === cr) {
        if (chunk[start] === LF) start++;
        else if (start === chunk.length) sawCR = true;
      }
      if (lf !== -1 && lf < start) lf = chunk.indexOf(LF, start);
      if (cr !== -1 && cr < start) cr = chunk.indexOf(CR, start);
    }
    if (start < chunk.length) pieces.push(chunk.subarray(start));
  }
  if (pieces.length > 0) yield* flush();
  yield* line(Buffer.alloc(0));
}
