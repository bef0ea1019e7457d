import { createServer } from 'node:net';

import { rememberProfile } from '../../src/app/config.js';
import { createVault } from '../../src/app/settings.js';
import { createLoginService, type LoginService } from '../../src/auth/login.js';
import { createFetch } from '../../src/gateway/http.js';
import { createLogger } from '../../src/shared/log.js';
import { Redactor } from '../../src/shared/redact.js';

/** The login flows as `hoop-mcp login` builds them, storing to the file under `home`, never opening a browser. */
export function loginService(home: string, callbackPort: number): LoginService {
  return createLoginService({
    profile: 'default',
    fetch: createFetch(),
    vault: createVault(home),
    storeChoice: 'file',
    logger: createLogger({ level: 'error', redactor: new Redactor(), stderr: { write: () => true } }),
    userAgent: 'hoop-mcp/test',
    allowHttp: false,
    openBrowser: false,
    callbackPort,
    rememberProfile: (profile, gw, store) => rememberProfile(home, profile, { gateway: gw, credentialStore: store }),
  });
}

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}
