import { z } from 'zod';

import { GatewayError } from '../shared/errors.js';
import type { LoginIdentity } from '../shared/login.js';
import type { RestApi } from './rest.js';

const UserInfoSchema = z.looseObject({
  email: z.string(),
  name: z.string().optional(),
  groups: z.array(z.string()).nullable().optional(),
});
const ServerInfoSchema = z.looseObject({ version: z.string().optional() });

/** `GET /api/userinfo`: whom the token belongs to. */
export async function fetchIdentity(rest: RestApi, signal: AbortSignal): Promise<LoginIdentity> {
  const parsed = UserInfoSchema.safeParse((await rest.request('GET', '/userinfo', { signal })).data);
  if (!parsed.success) throw new GatewayError('malformed', `the gateway answered GET /api/userinfo with an unexpected shape (${parsed.error.issues[0]?.message ?? 'bad shape'})`);
  const { email, name, groups } = parsed.data;
  return { email, groups: groups ?? [], ...(name !== undefined ? { name } : {}) };
}

/** The gateway's version from `GET /api/serverinfo`; undefined when it cannot be had (it is only shown). */
export async function fetchGatewayVersion(rest: RestApi, signal: AbortSignal): Promise<string | undefined> {
  return rest
    .request('GET', '/serverinfo', { signal })
    .then((r) => ServerInfoSchema.safeParse(r.data).data?.version)
    .catch(() => undefined);
}
