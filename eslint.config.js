/**
 * ESLint flat config (issue 18): the recommended sets of ESLint,
 * typescript-eslint and eslint-plugin-vue, with only the adjustments a
 * TypeScript-strict codebase needs. Every rule turned off or relaxed says why.
 * Formatting is Prettier's (.prettierrc.json), checked by `npm run lint` too.
 */
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import pluginVue from 'eslint-plugin-vue';
import eslintConfigPrettier from 'eslint-config-prettier/flat';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig([
  globalIgnores([
    'out/',
    'dist/',
    'node_modules/',
    'build/native/electron/',
    '.vitest-cache/',
    'test/bench/results/',
    'test/e2e/screenshots/',
    'test/fixtures/',
    // Stand-in external simulators (Python, shell, plain Node) run as child processes by the tests.
    'resources/simulators/',
  ]),

  js.configs.recommended,
  tseslint.configs.recommended,
  pluginVue.configs['flat/recommended'],

  {
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
    },
    rules: {
      // Relaxed: a `_`-prefixed parameter is deliberately unused (a callback that must keep the interface's parameter list),
      // and properties taken out of an object to keep the rest (`const { source: _source, ...rest } = spec`).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },

  // Engine, main process and tests: no import cycles (a cycle makes module
  // initialisation order matter and breaks lazy loading), and relative
  // imports in engine/ and main/ name the .js file, as Node's ESM loader
  // needs once the code is compiled (tsx and the bundles forgive a bare path).
  {
    files: ['engine/**/*.ts', 'main/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.mjs'], extensionAlias: { '.js': ['.ts', '.js'] } })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'no-restricted-syntax': [
        'error',
        ...['ImportDeclaration', 'ExportNamedDeclaration', 'ExportAllDeclaration', 'ImportExpression'].map((node) => ({
          selector: `${node} > Literal.source[value=/^\\.{1,2}\\/(?!.*\\.(js|mjs|cjs|json)$)/]`,
          message: 'A relative import names the .js file (ESM): `./module.js`, not `./module`.',
        })),
      ],
    },
  },

  // Where each file runs decides its globals: Node for the engine, main, tests and build scripts; the browser for the renderer.
  {
    files: ['engine/**', 'main/**', 'test/**', 'build/**', 'bin/**', '*.config.{js,ts}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },

  // Vue single-file components: TypeScript inside <script setup lang="ts">.
  {
    files: ['renderer/**/*.vue'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] },
    },
    rules: {
      // Off: vue-tsc already reports undefined names, and no-undef does not know TypeScript's global types (as typescript-eslint turns it off for .ts).
      'no-undef': 'off',
      // Off (formatting): the templates keep several short attributes on one line and wrap only long tags.
      'vue/max-attributes-per-line': 'off',
      // Off (formatting): short elements keep their text on the same line (<td>{{ x }}</td>).
      'vue/singleline-html-element-content-newline': 'off',
      // Off (formatting): inline text closes a tag on the next line (`</template\n>`) so no space is rendered; this rule would move the text and add one.
      'vue/multiline-html-element-content-newline': 'off',
      // Off (formatting): same case, it would pull that `>` back up and break the whitespace-free closing.
      'vue/html-closing-bracket-newline': 'off',
      // Adjusted (formatting): the templates self-close void elements (<input />, <br />); everything else keeps the recommended setting.
      'vue/html-self-closing': ['error', { html: { void: 'always', normal: 'always', component: 'always' }, svg: 'always', math: 'always' }],
    },
  },
  // Last: turns off the rules that only decide layout (Prettier's job), e.g. vue/html-indent, so the two never disagree.
  eslintConfigPrettier,
]);
