import tseslint from 'typescript-eslint';

// Module boundaries (docs/ARCHITECTURE.md "Platform and modules"). A module is reached from outside its folder only
// through its index.ts; no repository imports a service; platform/ never imports a module; core/ imports nothing of
// server/, web/ or cli/.
const MODULE_ONLY_VIA_INDEX = {
  regex: '(^|/)modules/[^/]+/(?!index\\.ts$)[^/]+$',
  message: 'Import another module only through its index.ts (create<X>Service and public types).',
};
const CROSS_MODULE_FROM_MODULE = {
  regex: '^\\.\\./(?!\\.\\.)[^/]+/(?!index\\.ts$)[^/]+$',
  message: 'Import another module only through its index.ts (create<X>Service and public types).',
};
const NO_SERVICE_IN_REPOSITORY = {
  regex: '(\\.service\\.ts|/index\\.ts)$',
  message: 'A repository holds SQL only: it never calls a service (the service composes repositories).',
};
const NO_MODULES_IN_PLATFORM = { regex: '(^|/)modules/', message: 'platform/ is shared by the modules and never imports one.' };
const NO_SERVER_IN_CORE = { regex: '(^|/)(server|web|cli)(/|$)', message: 'core/ is pure: it imports nothing of server/, web/ or cli/.' };

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', '.runtime/', '.tmp/', 'bench/results/', 'screenshots/'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['*.js', 'bin/*.js', 'scripts/*.js'] }, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Migrations are written against Kysely<any> so they run on both engines (style.md habit 5).
    files: ['server/db/migrations/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  { files: ['**/*.test.ts', 'test/**'], rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/unbound-method': 'off' } },
  { files: ['server/**/*.ts', 'cli/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts'], ignores: ['server/modules/**', 'server/db/migrations/**'], rules: { 'no-restricted-imports': ['error', { patterns: [MODULE_ONLY_VIA_INDEX] }] } },
  { files: ['server/modules/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [CROSS_MODULE_FROM_MODULE] }] } },
  { files: ['server/modules/**/*.repository.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [CROSS_MODULE_FROM_MODULE, NO_SERVICE_IN_REPOSITORY] }] } },
  { files: ['server/platform/**/*.ts'], ignores: ['server/platform/**/*.test.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [NO_MODULES_IN_PLATFORM] }] } },
  { files: ['core/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [NO_SERVER_IN_CORE] }] } },
);
