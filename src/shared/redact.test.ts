import { describe, expect, it } from 'vitest';

import { REDACTED, Redactor } from './redact.js';

describe('Redactor', () => {
  it('replaces registered secrets exactly, wherever they appear', () => {
    const r = new Redactor();
    r.add('opaque-canary-token-123');
    expect(r.scrubKnown('a opaque-canary-token-123 b opaque-canary-token-123')).toBe(`a ${REDACTED} b ${REDACTED}`);
  });

  it('ignores strings too short to be secrets', () => {
    const r = new Redactor();
    r.add('abc');
    expect(r.redact('abc')).toBe('abc');
  });

  it.each([
    ['Authorization: Bearer abc.def-ghi', `Authorization: Bearer ${REDACTED}`],
    ['key hpk_AbC123_-x here', `key ${REDACTED} here`],
    ['Api-Key: xapi-s3cr3t', `Api-Key: ${REDACTED}`],
    ['jwt eyJhbGciOi.eyJzdWIiOiIx.sig-part', `jwt ${REDACTED}`],
    ['http://127.0.0.1:3587/callback?token=abc&x=1', `http://127.0.0.1:3587/callback?token=${REDACTED}&x=1`],
    ['{"access_token":"abc","n":1}', `{"access_token":"${REDACTED}","n":1}`],
  ])('hides token-shaped text: %s', (input, expected) => {
    expect(new Redactor().redact(input)).toBe(expected);
  });

  it('leaves ordinary text alone', () => {
    expect(new Redactor().redact('connected to https://hoop.example.com (hoop 1.40.0)')).toBe('connected to https://hoop.example.com (hoop 1.40.0)');
  });
});
