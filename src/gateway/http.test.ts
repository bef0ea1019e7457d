import { describe, expect, it } from 'vitest';

import { proxyFor } from './http.js';

const P = 'http://proxy:3128';

describe('proxyFor (undici EnvHttpProxyAgent\'s choice)', () => {
  it.each([
    ['https://gw', { HTTPS_PROXY: P }, P],
    ['https://gw', { HTTP_PROXY: P }, P],
    ['http://gw', { HTTPS_PROXY: P }, undefined],
    ['http://gw', { HTTP_PROXY: P, HTTPS_PROXY: 'http://other:1' }, P],
    ['https://gw', { https_proxy: P, HTTPS_PROXY: 'http://other:1' }, P],
    ['https://gw', { https_proxy: '', HTTP_PROXY: P }, P],
    ['https://gw', {}, undefined],
  ] as const)('%s with %j goes through %s', (url, env, expected) => {
    expect(proxyFor(new URL(url), env)).toBe(expected);
  });

  it.each([
    ['https://gw.corp.example', 'corp.example', undefined],
    ['https://gw.corp.example', '.corp.example', undefined],
    ['https://gw.corp.example', '*.corp.example', undefined],
    ['https://notcorp.example', 'corp.example', P],
    ['https://gw:8443', 'gw:8443', undefined],
    ['https://gw', 'gw:8443', P],
    ['https://gw', 'gw:443', undefined],
    ['https://gw', 'a, b ,gw', undefined],
    ['https://gw', '*', undefined],
    ['https://gw', 'a,*', P],
    ['https://[::1]:1', '::1', P],
    ['https://[::1]:1', '[::1]', undefined],
  ] as const)('%s with NO_PROXY=%s goes through %s', (url, noProxy, expected) => {
    expect(proxyFor(new URL(url), { HTTPS_PROXY: P, NO_PROXY: noProxy })).toBe(expected);
  });

  it('no_proxy wins over NO_PROXY, even when empty', () => {
    expect(proxyFor(new URL('https://gw'), { HTTPS_PROXY: P, NO_PROXY: 'gw', no_proxy: '' })).toBe(P);
  });
});
