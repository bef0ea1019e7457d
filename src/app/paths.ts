import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The one directory for hoop-mcp's own state. HOOP_MCP_HOME wins; otherwise the platform's
 * config directory, so tests and users can relocate everything with one variable.
 */
export function hoopMcpHome(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const explicit = env.HOOP_MCP_HOME;
  if (explicit !== undefined && explicit !== '') return explicit;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'hoop-mcp');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'hoop-mcp');
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.config'), 'hoop-mcp');
}
