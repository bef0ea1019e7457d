import { describe, expect, it } from 'vitest';

import { UsageError } from '../shared/errors.js';
import { isLoopbackHost, parseGatewayUrl } from './url.js';

describe('parseGatewayUrl', () => {
  it('derives the MCP endpoint, keeping a path prefix', () => {
    expect(parseGatewayUrl('https://hoop.example.com/').mcpEndpoint.href).toBe('https://hoop.example.com/api/mcp');
    expect(parseGatewayUrl('https://host/prefix').mcpEndpoint.href).toBe('https://host/prefix/api/mcp');
  });

  it('accepts the MCP endpoint itself, as the web app shows it', () => {
    expect(parseGatewayUrl('https://use.hoop.dev/api/mcp').base).toBe('https://use.hoop.dev');
  });

  it('refuses plain http off loopback unless allowed', () => {
    expect(() => parseGatewayUrl('http://hoop.internal')).toThrow(/refusing plain http/);
    expect(parseGatewayUrl('http://hoop.internal', { allowHttp: true }).base).toBe('http://hoop.internal');
    expect(parseGatewayUrl('http://127.0.0.1:8009').loopback).toBe(true);
    expect(parseGatewayUrl('http://[::1]:8009').loopback).toBe(true);
  });

  it.each(['not a url', 'ftp://host', 'https://user:pw@host', 'https://host/?token=x'])('rejects %s with a usage error', (raw) => {
    expect(() => parseGatewayUrl(raw)).toThrow(UsageError);
  });

  it('never echoes credentials from a rejected URL', () => {
    expect(() => parseGatewayUrl('https://user:s3cret@host')).toThrow(expect.objectContaining({ message: expect.not.stringContaining('s3cret') }));
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['localhost', true],
    ['api.localhost', true],
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['10.0.0.1', false],
    ['hoop.example.com', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
