import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Folder → folders it must not import. The layering test re-checks this from source. */
const forbidden = {
  shared: ['app', 'auth', 'approvals', 'bridge', 'commands', 'gateway', 'tools', 'tui'],
  gateway: ['app', 'auth', 'approvals', 'bridge', 'commands', 'tools', 'tui'],
  auth: ['app', 'approvals', 'bridge', 'commands', 'tools', 'tui'],
  tools: ['app', 'auth', 'approvals', 'bridge', 'commands', 'tui'],
  approvals: ['app', 'auth', 'bridge', 'commands', 'tools', 'tui'],
  bridge: ['app', 'auth', 'commands', 'tui'],
  app: ['approvals', 'bridge', 'commands', 'tools', 'tui'],
  tui: ['app', 'auth', 'approvals', 'bridge', 'commands', 'gateway', 'tools'],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'artifacts/**', 'bench/.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['bin/**/*.js', '*.config.js'],
    languageOptions: { globals: { process: 'readonly' } },
  },
  {
    // stdout belongs to JSON-RPC in `serve`: product code writes to it only through the stdio peer.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: {
      'no-console': 'error',
    },
  },
  ...Object.entries(forbidden).map(([folder, banned]) => ({
    files: [`src/${folder}/**/*.ts`, `src/${folder}/**/*.tsx`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...banned.map((b) => ({ group: [`**/${b}/*`, `**/${b}/**`], message: `src/${folder} must not import src/${b} (see the layout in README.md)` })),
            ...(folder === 'bridge' ? [{ group: ['ink', 'ink-*', 'react', 'react/*'], message: 'the serve path never loads the TUI' }] : []),
          ],
        },
      ],
    },
  })),
);
