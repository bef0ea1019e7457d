const UUID_PIPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\|/i;

/** The server-wide key (`xapi-…`, or legacy `<orgUUID>|<secret>`) is what hoop's CLI also sends as Api-Key. */
export function isServerApiKey(token: string): boolean {
  return token.startsWith('xapi-') || UUID_PIPE.test(token);
}

/**
 * Headers that authenticate a request, as hoop's own CLI builds them: always a Bearer token, and
 * the server API key also as `Api-Key`. `hpk_` keys go only as Bearer: in `Api-Key` the gateway
 * would compare them with the server key and answer 401.
 */
export function authHeaders(token: string): Record<string, string> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (isServerApiKey(token)) headers['api-key'] = token;
  return headers;
}
