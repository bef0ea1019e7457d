import { readFileSync } from 'node:fs';

/** The package version, read once from package.json (two levels above dist/shared and src/shared). */
export const VERSION: string = (() => {
  try {
    const pkg: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    if (typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string') return pkg.version;
  } catch {
    // fall through
  }
  return '0.0.0';
})();

export const USER_AGENT = `hoop-mcp/${VERSION} (node ${process.version}; ${process.platform})`;

/**
 * `hoop-mcp/<version> (<client> <client version>)` for the User-Client header. Header values must
 * be visible ASCII, and parentheses would end the comment early, so anything else becomes `_`.
 */
export function userClient(client: { name: string; version: string }): string {
  const clean = (s: string): string => s.replace(/[^\x20-\x7e]|[()\\]/g, '_').trim().slice(0, 100);
  return `hoop-mcp/${VERSION} (${clean(client.name)} ${clean(client.version)})`;
}
