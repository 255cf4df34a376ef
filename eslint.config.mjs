// ESLint flat config, called directly (`eslint . --max-warnings=0`): Next 16 has no `next lint`.
import nextCoreWebVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';
import drizzle from 'eslint-plugin-drizzle';

// Punctuation that may appear as a bare literal in JSX; every word goes through the message catalogs.
const allowedJsxPunctuation = [
  '·',
  '—',
  '–',
  '…',
  '/',
  '|',
  ':',
  '(',
  ')',
  ',',
  '.',
  '•',
  '«',
  '»',
  '×',
  '→',
  '←',
];

// Attributes that screen readers or users see: a literal here escapes translation just like a text node.
const visibleAttributes =
  /^(alt|title|placeholder|label|aria-label|aria-description|aria-placeholder|aria-roledescription|aria-valuetext)$/;
// ...when the literal has words in it: URL or e-mail samples such as placeholder="https://" read the same in every language.
const wordyText = /^(?![a-z][a-z0-9+.-]*:\/\/)(?![^\s@]+@[^\s@]+$)[\s\S]*\p{L}/u;

// lib/ and db/ stay framework-free so they can be tested without Next (see CONVENTIONS.md).
const frameworkImports = {
  paths: [
    {
      name: 'next',
      message: 'lib/ and db/ stay framework-free; go through lib/session.ts or lib/action.ts.',
    },
    { name: 'react', message: 'lib/ and db/ stay framework-free.' },
    { name: 'react-dom', message: 'lib/ and db/ stay framework-free.' },
    { name: 'next-auth', message: 'Only lib/auth.ts talks to Auth.js.' },
  ],
  patterns: [
    {
      group: ['next/*', 'react/*', 'react-dom/*', 'next-auth/*'],
      message:
        'lib/ and db/ stay framework-free; only lib/session.ts, lib/action.ts and lib/auth.ts adapt Next.',
    },
  ],
};

const config = [
  {
    ignores: [
      '.next/**',
      'node_modules/**',
      '.data/**',
      'db/migrations/**',
      'next-env.d.ts',
      'playwright-report/**',
      'test-results/**',
    ],
  },
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    name: 'undersigned/unused',
    rules: {
      // A leading underscore marks a deliberately unused parameter or destructured rest sibling.
      '@typescript-eslint/no-unused-vars': [
        'warn',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    name: 'undersigned/messages',
    files: ['app/**/*.tsx', 'components/**/*.tsx'],
    rules: {
      'react/jsx-no-literals': [
        'error',
        { noStrings: true, ignoreProps: true, allowedStrings: allowedJsxPunctuation },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: `JSXAttribute[name.name=${visibleAttributes}] > Literal[value=${wordyText}]`,
          message: 'User-visible attribute text must come from the message catalogs (next-intl).',
        },
      ],
    },
  },
  {
    name: 'undersigned/framework-free-lib',
    files: ['lib/**/*.{ts,tsx}', 'db/**/*.{ts,tsx}'],
    ignores: ['lib/session.ts', 'lib/action.ts', 'lib/auth.ts', 'lib/testing/**'],
    rules: {
      'no-restricted-imports': ['error', frameworkImports],
    },
  },
  {
    name: 'undersigned/drizzle',
    files: ['**/*.{ts,tsx,mts,cts}'],
    plugins: { drizzle },
    rules: {
      'drizzle/enforce-delete-with-where': ['error', { drizzleObjectName: ['db', 'tx'] }],
      'drizzle/enforce-update-with-where': ['error', { drizzleObjectName: ['db', 'tx'] }],
    },
  },
];

export default config;
