import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

/**
 * Re-checks the layering from source, so that a weakened lint rule cannot hide a violation
 * (eslint.config.js says the same thing to editors).
 */
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

const ALLOWED: Record<string, string[]> = {
  shared: [],
  gateway: ['shared'],
  auth: ['gateway', 'shared'],
  tools: ['gateway', 'shared'],
  approvals: ['gateway', 'shared'],
  bridge: ['gateway', 'tools', 'approvals', 'shared'],
  app: ['gateway', 'auth', 'shared'],
  tui: ['shared'],
  commands: ['app', 'auth', 'gateway', 'approvals', 'bridge', 'tools', 'shared', 'tui'],
  '.': ['commands', 'shared'],
};

interface Edge {
  from: string;
  to: string;
  dynamic: boolean;
  /** `import type`: erased at run time, so it loads nothing. */
  typeOnly: boolean;
}

const sourceFiles = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
  .map((f) => join(SRC, f));

function importsOf(file: string): Edge[] {
  const text = readFileSync(file, 'utf8');
  const edges: Edge[] = [];
  for (const m of text.matchAll(/^\s*(import|export)(\s+type)?\s[^;]*?from\s+'([^']+)'/gms)) {
    edges.push({ from: file, to: m[3] ?? '', dynamic: false, typeOnly: m[2] !== undefined });
  }
  for (const m of text.matchAll(/import\(\s*'([^']+)'\s*\)/g)) edges.push({ from: file, to: m[1] ?? '', dynamic: true, typeOnly: false });
  return edges;
}

function folderOf(file: string): string {
  const rel = relative(SRC, file);
  return rel.includes('/') ? (rel.split('/')[0] ?? '.') : '.';
}

function resolveLocal(edge: Edge): string | undefined {
  if (!edge.to.startsWith('.')) return undefined;
  return resolve(dirname(edge.from), edge.to).replace(/\.js$/, '.ts');
}

describe('layering', () => {
  it('every import points the allowed way', () => {
    const violations: string[] = [];
    for (const file of sourceFiles) {
      for (const edge of importsOf(file)) {
        const target = resolveLocal(edge);
        if (target === undefined) continue;
        const [from, to] = [folderOf(file), folderOf(target)];
        if (from === to) continue;
        if (!(ALLOWED[from] ?? []).includes(to)) violations.push(`${relative(SRC, file)} → ${relative(SRC, target)}`);
        if (to === 'tui' && !edge.dynamic) violations.push(`${relative(SRC, file)} loads the TUI statically`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('the serve path (cli.ts and the serve command, statically) never reaches ink, React or the TUI', () => {
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const edge of importsOf(file)) {
        if (edge.dynamic || edge.typeOnly) continue;
        const target = resolveLocal(edge);
        if (target === undefined) packages.add(edge.to);
        else visit(target);
      }
    };
    // cli.ts loads each command on demand; the serve path is cli.ts plus the serve command.
    visit(join(SRC, 'cli.ts'));
    visit(join(SRC, 'commands', 'serve.ts'));
    expect(seen.size).toBeGreaterThan(5);
    expect([...seen].filter((f) => folderOf(f) === 'tui')).toEqual([]);
    expect([...packages].filter((p) => /^(ink|react)(\/|$)|^ink-/.test(p))).toEqual([]);
    // the relay and its HTTP stack load after initialize, not at start-up
    expect([...packages]).not.toContain('undici');
  });

  it('shipped code imports only node built-ins and the packages users install (dependencies)', () => {
    const manifest = JSON.parse(readFileSync(join(SRC, '..', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const installed = new Set(Object.keys(manifest.dependencies));
    const packageOf = (specifier: string): string => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
    const strays = sourceFiles.flatMap((file) =>
      importsOf(file)
        .filter((e) => !e.typeOnly && resolveLocal(e) === undefined && !e.to.startsWith('node:') && !installed.has(packageOf(e.to)))
        .map((e) => `${relative(SRC, file)} → ${e.to}`),
    );
    expect(strays).toEqual([]);
  });
});
