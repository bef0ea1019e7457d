/**
 * Builds the Claude Desktop bundles (`.mcpb`), one per platform, into artifacts/:
 *
 *   npm run bundle                                  # every target
 *   npm run bundle -- --target linux-x64 --target win32-x64
 *
 * Each target gets its own staging directory with the built code (bin/, dist/, a trimmed
 * package.json) and the production dependencies installed *for that target*
 * (`npm install --os --cpu [--libc]`), so the keychain module's native binary is the target's,
 * not the build machine's. macOS gets one bundle for both CPUs: the manifest can only name a
 * platform, so a per-CPU bundle installed on the other kind of Mac would have no keychain.
 * The manifest says which platform the bundle supports; `mcpb` validates and packs it.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { packExtension, validateManifest } from '@anthropic-ai/mcpb';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

type Cpu = 'arm64' | 'x64';

export interface Target {
  os: 'darwin' | 'win32' | 'linux';
  /** The CPUs the bundle runs on; the @napi-rs/keyring loader picks the binary for process.arch. */
  cpus: [Cpu, ...Cpu[]];
  /** npm's `--libc` for Linux: glibc only, so the musl binary is not shipped next to it. */
  libc?: 'glibc';
  /** The @napi-rs/keyring platform packages this target must contain, one per CPU. */
  keyrings: string[];
}

export const TARGETS: Record<string, Target> = {
  'darwin-universal': { os: 'darwin', cpus: ['arm64', 'x64'], keyrings: ['@napi-rs/keyring-darwin-arm64', '@napi-rs/keyring-darwin-x64'] },
  'win32-x64': { os: 'win32', cpus: ['x64'], keyrings: ['@napi-rs/keyring-win32-x64-msvc'] },
  'linux-x64': { os: 'linux', cpus: ['x64'], libc: 'glibc', keyrings: ['@napi-rs/keyring-linux-x64-gnu'] },
};

interface PackageJson {
  name: string;
  version: string;
  description: string;
  license: string;
  type: string;
  bin: Record<string, string>;
  engines: { node: string };
  dependencies: Record<string, string>;
  keywords?: string[];
  mcpName?: string;
}

export function readPackage(): PackageJson {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
}

export const REPOSITORY = 'https://github.com/hoophq/hoop-mcp';
export const ENTRY_POINT = 'bin/hoop-mcp.js';

const LONG_DESCRIPTION = `hoop-mcp lets Claude do admin and data work through your [Hoop](https://github.com/hoophq/hoop) gateway without stepping around its governance: every tool call is relayed to the gateway's own MCP endpoint, where Hoop's authentication, audit log, RBAC and approval rules apply exactly as they would to you.

**Sign in first, in a terminal:**

\`\`\`
npx hoop-mcp login
\`\`\`

It asks for the gateway URL, signs you in (browser SSO, password or an \`hpk_\` API key) and keeps the token in your OS keychain (macOS Keychain, Windows Credential Manager, the Secret Service on Linux). This bundle never asks for, holds or writes a token: it reads the one \`login\` stored.

Then install this bundle. Both settings are optional: leave **Gateway URL** empty to use the gateway you logged in to, and **Profile** empty to use your default login. \`npx hoop-mcp status\` shows who you are and what the bridge would serve; \`npx hoop-mcp approvals\` shows the reviews your agent's commands are waiting on.`;

/** The bundle's manifest.json for one target (MCPB manifest 0.3). */
export function manifestFor(target: Target, pkg: PackageJson = readPackage()): Record<string, unknown> {
  return {
    manifest_version: '0.3',
    name: pkg.name,
    display_name: 'Hoop',
    version: pkg.version,
    description: pkg.description,
    long_description: LONG_DESCRIPTION,
    author: { name: 'hoophq', url: 'https://github.com/hoophq' },
    repository: { type: 'git', url: REPOSITORY },
    homepage: REPOSITORY,
    documentation: `${REPOSITORY}#readme`,
    support: `${REPOSITORY}/issues`,
    license: pkg.license,
    keywords: pkg.keywords ?? [],
    server: {
      type: 'node',
      entry_point: ENTRY_POINT,
      mcp_config: {
        command: 'node',
        args: [`\${__dirname}/${ENTRY_POINT}`, 'serve'],
        // Environment, not flags: an empty setting is then "not set" (hoop-mcp ignores empty
        // variables) and falls back to the profile, where an empty `--gateway ""` would be an error.
        env: {
          HOOP_APIURL: '${user_config.gateway_url}',
          HOOP_MCP_PROFILE: '${user_config.profile}',
        },
      },
    },
    // The tools are the gateway's own (55 today), listed at run time.
    tools_generated: true,
    compatibility: {
      platforms: [target.os],
      runtimes: { node: pkg.engines.node },
    },
    user_config: {
      gateway_url: {
        type: 'string',
        title: 'Gateway URL',
        description: 'Your Hoop gateway, e.g. https://hoop.example.com. Leave empty to use the gateway you signed in to with `npx hoop-mcp login`.',
        required: false,
        default: '',
      },
      profile: {
        type: 'string',
        title: 'Profile',
        description: 'Which `npx hoop-mcp login` to use when you have several (`--profile` at login). Leave empty for the default one.',
        required: false,
        default: '',
      },
    },
  };
}

/** Files of dist/ that ship: no tests, maps or snapshots (a stale local build may hold them). */
function shipped(path: string): boolean {
  return !/\.test\.|\.map$|\.tsbuildinfo$|__toolsnaps__/.test(basename(path)) && !path.includes('__toolsnaps__');
}

/** The production dependencies for one OS and CPU, from the lock the suite ran against. */
function installDependencies(dir: string, target: Target, cpu: Cpu, pkg: PackageJson): void {
  // The package.json the code needs at run time ("type": "module", the version), nothing for builds.
  const staged = { name: pkg.name, version: pkg.version, description: pkg.description, license: pkg.license, type: pkg.type, bin: pkg.bin, engines: pkg.engines, dependencies: pkg.dependencies };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(staged, null, 2)}\n`);
  cpSync(join(ROOT, 'package-lock.json'), join(dir, 'package-lock.json'));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const platformArgs = ['--os', target.os, '--cpu', cpu, ...(target.libc !== undefined ? ['--libc', target.libc] : [])];
  execFileSync(npm, ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', ...platformArgs], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  rmSync(join(dir, 'package-lock.json'), { force: true });
  rmSync(join(dir, 'node_modules', '.package-lock.json'), { force: true });
}

/** The @napi-rs/keyring platform packages installed under `dir`, sorted. */
export function keyringPackages(dir: string): string[] {
  return readdirSync(join(dir, 'node_modules', '@napi-rs'))
    .filter((d) => d.startsWith('keyring-'))
    .map((d) => `@napi-rs/${d}`)
    .sort();
}

/** Stages one target in a temporary directory; returns its path. */
export function stage(name: string, target: Target, pkg: PackageJson = readPackage()): string {
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('dist/ is missing: run npm run build first');
  const dir = mkdtempSync(join(tmpdir(), `hoop-mcp-bundle-${name}-`));
  cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
  cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true, filter: shipped });
  for (const file of ['README.md', 'LICENSE', 'CHANGELOG.md']) {
    if (existsSync(join(ROOT, file))) cpSync(join(ROOT, file), join(dir, file));
  }
  const [first, ...others] = target.cpus;
  installDependencies(dir, target, first, pkg);
  // npm installs for one CPU at a time and prunes the other CPUs' optional packages, so each
  // other CPU's tree is installed aside (from the same lock) and only its keyring binary taken.
  for (const cpu of others) {
    const aside = mkdtempSync(join(tmpdir(), `hoop-mcp-bundle-${name}-${cpu}-`));
    try {
      installDependencies(aside, target, cpu, pkg);
      for (const keyring of keyringPackages(aside)) cpSync(join(aside, 'node_modules', keyring), join(dir, 'node_modules', keyring), { recursive: true });
    } finally {
      rmSync(aside, { recursive: true, force: true });
    }
  }

  const keyrings = keyringPackages(dir);
  if (keyrings.join() !== [...target.keyrings].sort().join()) throw new Error(`${name}: expected only ${target.keyrings.join(', ')} in node_modules, found ${keyrings.join(', ') || 'none'}`);

  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifestFor(target, pkg), null, 2)}\n`);
  // What mcpb pack would not leave out by itself: type declarations and maps are (see its
  // EXCLUDE_PATTERNS); docs and tests inside dependencies are not worth shipping either.
  writeFileSync(join(dir, '.mcpbignore'), ['node_modules/**/*.md', '!node_modules/**/LICENSE*.md', 'node_modules/**/test/', 'node_modules/**/tests/', 'node_modules/**/*.ts', 'node_modules/**/*.tsx', 'node_modules/**/*.mts', 'node_modules/**/*.cts', ''].join('\n'));
  return dir;
}

export function bundleFileName(name: string, pkg: PackageJson = readPackage()): string {
  return `${pkg.name}-${pkg.version}-${name}.mcpb`;
}

/** Builds one target's bundle into `outDir`; returns its path and sizes. */
export async function buildBundle(name: string, outDir = join(ROOT, 'artifacts')): Promise<{ path: string; size: number }> {
  const target = TARGETS[name];
  if (target === undefined) throw new Error(`unknown target ${name} (known: ${Object.keys(TARGETS).join(', ')})`);
  const pkg = readPackage();
  const dir = stage(name, target, pkg);
  try {
    const manifest = join(dir, 'manifest.json');
    if (!validateManifest(manifest)) throw new Error(`${name}: mcpb validate rejected ${manifest}`);
    mkdirSync(outDir, { recursive: true });
    const path = join(outDir, bundleFileName(name, pkg));
    if (!(await packExtension({ extensionPath: dir, outputPath: path, silent: true }))) throw new Error(`${name}: mcpb pack failed`);
    return { path, size: statSync(path).size };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function cli(argv: string[]): Promise<void> {
  const names: string[] = [];
  let outDir = join(ROOT, 'artifacts');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if ((arg === '--target' || arg === '--out') && value !== undefined) {
      if (arg === '--target') names.push(...value.split(','));
      else outDir = value;
      i++;
    } else {
      throw new Error(`usage: bundle [--target <${Object.keys(TARGETS).join('|')}>]... [--out <dir>]`);
    }
  }
  for (const name of names.length > 0 ? names : Object.keys(TARGETS)) {
    const { path, size } = await buildBundle(name, outDir);
    process.stdout.write(`${path}  ${(size / 1024 / 1024).toFixed(1)} MiB\n`);
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  cli(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`bundle: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
