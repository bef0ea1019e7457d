import { describe, expect, it } from 'vitest';

import { LineSplitter } from './line-splitter.js';

function split(chunks: string[], max = 1024): { lines: string[]; oversize: number[] } {
  const lines: string[] = [];
  const oversize: number[] = [];
  const s = new LineSplitter(max, (l) => lines.push(l), (n) => oversize.push(n));
  for (const c of chunks) s.push(Buffer.from(c));
  s.end();
  return { lines, oversize };
}

describe('LineSplitter', () => {
  it('splits on newlines across chunk boundaries and strips CR', () => {
    expect(split(['{"a"', ':1}\r\n{"b":2}\n', '\n  \n{"c":3}']).lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('drops an oversized line without buffering it and keeps going', () => {
    const { lines, oversize } = split(['x'.repeat(600), 'y'.repeat(600), '\n{"ok":1}\n'], 1000);
    expect(oversize).toEqual([1200]);
    expect(lines).toEqual(['{"ok":1}']);
  });

  it('keeps multi-byte characters split across chunks intact', () => {
    const bytes = Buffer.from('{"s":"日本"}\n');
    const lines: string[] = [];
    const s = new LineSplitter(1024, (l) => lines.push(l), () => undefined);
    for (const b of bytes) s.push(Buffer.of(b));
    expect(lines).toEqual(['{"s":"日本"}']);
  });
});
