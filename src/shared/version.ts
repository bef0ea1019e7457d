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
