// Lint: typescript-eslint's recommended rules plus the layer boundaries of ARCHITECTURE.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'dist-renderer/**', 'node_modules/**', 'bpf/.output/**', 'native/build/**', 'test/e2e/screenshots/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Before the engine's block: for one rule the later block wins, and the engine's is stricter.
    // electron/ipc is the contract both sides share (VS Code's "common" layer): plain types and schemas.
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)(electron/(?!ipc/)|native/)',
              message: 'renderer must not import electron/ (except the electron/ipc contract) or native/',
            },
          ],
        },
      ],
    },
  },
  {
    // The engine runs in a Worker and in Node: no UI, no state store, no Electron, no Node-only modules.
    files: ['renderer/engine/**/*.ts'],
    ignores: ['renderer/engine/**/*.test.ts'],
    rules: restrict(
      ['**/ui/**', '**/state/**', '**/electron/**', '**/native/**', 'node:*', 'fs', 'path', 'react'],
      'renderer/engine must not depend on the UI, Electron or Node-only modules (see ARCHITECTURE.md)',
    ),
  },
  {
    // The preload runs in the page's process: it may use the shared contract (electron/ipc) only,
    // never main's or the helper's code (nor services, Node modules or the addon).
    files: ['electron/preload/**/*.ts'],
    ignores: ['electron/preload/**/*.test.ts'],
    rules: restrict(
      ['**/main/**', '**/helper/**', '**/services/**', '**/host/**', '**/native/**', 'node:*', 'fs', 'path'],
      'electron/preload may import only electron and electron/ipc (see STYLE.md, process boundaries)',
    ),
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
