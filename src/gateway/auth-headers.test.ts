import { describe, expect, it } from 'vitest';

import { authHeaders } from './auth-headers.js';

describe('authHeaders', () => {
  it('sends user tokens as Bearer only', () => {
    expect(authHeaders('eyJhbGciOi.x.y')).toEqual({ authorization: 'Bearer eyJhbGciOi.x.y' });
  });

  it('sends hpk_ keys only as Bearer: in Api-Key the gateway would answer 401', () => {
    expect(authHeaders('hpk_abc')).toEqual({ authorization: 'Bearer hpk_abc' });
  });

  it('also sends the server key as Api-Key, as hoop\'s CLI does', () => {
    expect(authHeaders('xapi-abc')).toEqual({ authorization: 'Bearer xapi-abc', 'api-key': 'xapi-abc' });
    const legacy = '4f6c1a8e-1f2b-4c3d-9e8f-0a1b2c3d4e5f|secret';
    expect(authHeaders(legacy)['api-key']).toBe(legacy);
  });
});
