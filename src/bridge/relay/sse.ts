/** One server-sent event. `data` joins multi-line data with "\n", as the SSE spec says. */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/**
 * Parses an SSE byte stream. Lines are assembled from pieces so a 20 MB `data:` line costs
 * linear time, not a rescan per chunk.
 */
export async function* parseSse(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let pieces: string[] = [];
  let data: string[] = [];
  let event = '';
  let id: string | undefined;
  let sawCR = false;

  function* line(text: string): Generator<SseEvent> {
    if (text === '') {
      if (data.length > 0) yield { event: event === '' ? 'message' : event, data: data.join('\n'), ...(id !== undefined ? { id } : {}) };
      data = [];
      event = '';
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id') id = value;
  }

  for await (const chunk of body) {
    let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (sawCR && text.startsWith('\n')) text = text.slice(1);
    sawCR = false;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch !== 10 && ch !== 13) continue;
      pieces.push(text.slice(start, i));
      yield* line(pieces.join(''));
      pieces = [];
      if (ch === 13) {
        if (i + 1 < text.length && text.charCodeAt(i + 1) === 10) i++;
        else if (i + 1 === text.length) sawCR = true;
      }
      start = i + 1;
    }
    if (start < text.length) pieces.push(text.slice(start));
  }
  const rest = pieces.join('') + decoder.decode();
  if (rest !== '') yield* line(rest);
  yield* line('');
}
