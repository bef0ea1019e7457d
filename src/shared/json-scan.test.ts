import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { objectMembers } from './json-scan.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

/** Objects order integer-like keys first; a Map keeps the text's order. */
const byKey = (a: [string, unknown], b: [string, unknown]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** What JSON.parse makes of the same bytes, as [key, value] pairs; undefined when it is not an object. */
function parsedMembers(text: string): Array<[string, unknown]> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value).sort(byKey) : undefined;
  } catch {
    return undefined;
  }
}

function scannedMembers(buf: Buffer): Array<[string, unknown]> | undefined {
  const members = objectMembers(buf);
  if (members === undefined) return undefined;
  return [...members].map(([key, span]) => [key, JSON.parse(buf.subarray(span.start, span.end).toString('utf8'))] as [string, unknown]).sort(byKey);
}

describe('objectMembers', () => {
  it('gives the span of each top-level value', () => {
    const buf = bytes(' {"id": 7, "result": {"content": [{"type": "text", "text": "a\\"b}"}]}, "x": null} ');
    const members = objectMembers(buf);
    expect([...(members?.keys() ?? [])]).toEqual(['id', 'result', 'x']);
    const result = members?.get('result');
    expect(buf.subarray(result?.start, result?.end).toString()).toBe('{"content": [{"type": "text", "text": "a\\"b}"}]}');
  });

  it('reads a range inside a larger buffer without looking past it', () => {
    const buf = bytes('xx{"a":1}{"b":2}');
    expect([...(objectMembers(buf, 2, 9)?.keys() ?? [])]).toEqual(['a']);
    expect(objectMembers(buf, 2, 8)).toBeUndefined();
  });

  it.each(['', '[]', '"s"', '{', '{"a"}', '{"a":}', '{"a":1,}', '{a:1}', '{"a":01}', '{"a":1.}', '{"a":-}', '{"a":tru}', '{"a":"\\x"}', '{"a":"\u0001"}', '{"a":1} x', '{"a":[1,]}'])(
    'refuses %j, as JSON.parse does',
    (text) => {
      expect(objectMembers(bytes(text))).toBeUndefined();
    },
  );

  it('refuses nesting deeper than it vouches for', () => {
    expect(objectMembers(bytes(`{"a":${'['.repeat(300)}${']'.repeat(300)}}`))).toBeUndefined();
    expect(objectMembers(bytes(`{"a":${'['.repeat(100)}${']'.repeat(100)}}`))).toBeDefined();
  });

  it('agrees with JSON.parse on any JSON object', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        expect(scannedMembers(bytes(text))).toEqual(parsedMembers(text));
      }),
      { numRuns: 300 },
    );
  });

  it('never vouches for text JSON.parse refuses', () => {
    const mutated = fc
      .tuple(fc.dictionary(fc.string(), fc.jsonValue()), fc.nat(), fc.constantFrom('', '{', '}', '"', '\\', ',', ':', '0', '-', '.', 'e', 'nul', '\u0000', '\n', ' '))
      .map(([value, at, insert]) => {
        const text = JSON.stringify(value);
        const cut = at % (text.length + 1);
        return text.slice(0, cut) + insert + text.slice(cut + (insert === '' ? 1 : 0));
      });
    fc.assert(
      fc.property(fc.oneof(mutated, fc.string()), (text) => {
        const scanned = scannedMembers(bytes(text));
        if (scanned !== undefined) expect(scanned).toEqual(parsedMembers(text));
      }),
      { numRuns: 2000 },
    );
  });
});
