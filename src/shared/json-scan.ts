/**
 * Reads the top-level members of a JSON object straight from its bytes, checking the whole text
 * against JSON's grammar on the way, without building any value. The bridge uses it to pass a
 * multi-megabyte tool result through untouched instead of parsing and re-serializing it.
 *
 * It is sound, not complete: when it returns members, JSON.parse accepts the same bytes; when it
 * returns undefined (bad JSON, nesting deeper than MAX_DEPTH) the caller takes the ordinary path.
 */

export interface Span {
  start: number;
  end: number;
}

/** Deeper than any real tool result; keeps the recursion far from the stack limit. */
const MAX_DEPTH = 256;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
}

class Scanner {
  constructor(
    private readonly b: Uint8Array,
    private readonly end: number,
  ) {}

  space(i: number): number {
    while (i < this.end && isSpace(this.b[i])) i++;
    return i;
  }

  /** `i` is at a value; returns the index after it, or -1. */
  value(i: number, depth: number): number {
    switch (this.b[i]) {
      case QUOTE:
        return this.string(i);
      case 0x7b:
        return depth >= MAX_DEPTH ? -1 : this.object(i, depth + 1, undefined);
      case 0x5b:
        return depth >= MAX_DEPTH ? -1 : this.array(i, depth + 1);
      case 0x74:
        return this.literal(i, 'true');
      case 0x66:
        return this.literal(i, 'false');
      case 0x6e:
        return this.literal(i, 'null');
      default:
        return this.number(i);
    }
  }

  /** `i` is at `{`. Members of this object go to `members` when given (last one wins, as in JSON.parse). */
  object(i: number, depth: number, members: Map<string, Span> | undefined): number {
    i = this.space(i + 1);
    if (this.b[i] === 0x7d) return i + 1;
    for (;;) {
      if (this.b[i] !== QUOTE) return -1;
      const keyEnd = this.string(i);
      if (keyEnd === -1) return -1;
      const key = i;
      i = this.space(keyEnd);
      if (this.b[i] !== 0x3a) return -1;
      const start = this.space(i + 1);
      const valueEnd = this.value(start, depth);
      if (valueEnd === -1) return -1;
      if (members !== undefined) members.set(this.key(key, keyEnd), { start, end: valueEnd });
      i = this.space(valueEnd);
      if (this.b[i] === 0x7d) return i + 1;
      if (this.b[i] !== 0x2c) return -1;
      i = this.space(i + 1);
    }
  }

  array(i: number, depth: number): number {
    i = this.space(i + 1);
    if (this.b[i] === 0x5d) return i + 1;
    for (;;) {
      i = this.value(i, depth);
      if (i === -1) return -1;
      i = this.space(i);
      if (this.b[i] === 0x5d) return i + 1;
      if (this.b[i] !== 0x2c) return -1;
      i = this.space(i + 1);
    }
  }

  string(i: number): number {
    const { b, end } = this;
    i++;
    while (i < end) {
      const c = b[i] as number;
      if (c === QUOTE) return i + 1;
      if (c < 0x20) return -1;
      if (c !== BACKSLASH) {
        i++;
        continue;
      }
      const e = b[i + 1];
      if (e === 0x75) {
        if (!(isHex(b[i + 2]) && isHex(b[i + 3]) && isHex(b[i + 4]) && isHex(b[i + 5]))) return -1;
        i += 6;
      } else if (e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
        i += 2;
      } else {
        return -1;
      }
    }
    return -1;
  }

  number(i: number): number {
    const { b } = this;
    if (b[i] === 0x2d) i++;
    if (b[i] === 0x30) i++;
    else if (isDigit(b[i])) while (isDigit(b[i])) i++;
    else return -1;
    if (b[i] === 0x2e) {
      i++;
      if (!isDigit(b[i])) return -1;
      while (isDigit(b[i])) i++;
    }
    if (b[i] === 0x65 || b[i] === 0x45) {
      i++;
      if (b[i] === 0x2b || b[i] === 0x2d) i++;
      if (!isDigit(b[i])) return -1;
      while (isDigit(b[i])) i++;
    }
    return i > this.end ? -1 : i;
  }

  literal(i: number, word: string): number {
    for (let k = 0; k < word.length; k++) if (this.b[i + k] !== word.charCodeAt(k)) return -1;
    return i + word.length > this.end ? -1 : i + word.length;
  }

  /** Keys are short: decoding them through JSON.parse gets every escape right. */
  key(start: number, end: number): string {
    return JSON.parse(Buffer.from(this.b.buffer, this.b.byteOffset + start, end - start).toString('utf8')) as string;
  }
}

/**
 * The members of the JSON object that fills `bytes[start, end)` (whitespace around it allowed),
 * each as the span of its value; undefined when those bytes are not a JSON object this scanner
 * vouches for. Byte order is assumed valid UTF-8: check with `isUtf8` first.
 */
export function objectMembers(bytes: Uint8Array, start = 0, end = bytes.length): Map<string, Span> | undefined {
  const scanner = new Scanner(bytes, end);
  const members = new Map<string, Span>();
  const open = scanner.space(start);
  if (bytes[open] !== 0x7b) return undefined;
  const close = scanner.object(open, 1, members);
  if (close === -1 || scanner.space(close) !== end) return undefined;
  return members;
}
