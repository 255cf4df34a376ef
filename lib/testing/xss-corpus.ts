// The XSS payload corpus (SECURITY.md "Tests that prove it"): sent into every field and URL the app accepts
// and rendered on every page and e-mail that shows it. Each payload that runs calls `__xssHit(<id>)` or
// `alert(<id>)`, so a spec can count executions (window.__xssHits, dialogs); CSP violations count too.
// Plain data, no imports: usable from Vitest (string renderers, e-mails) and Playwright alike.

export type XssPayload = {
  id: string;
  /** What it tries. */
  kind: string;
  value: string;
  /** Too long for a URL (Node refuses headers over 16 KB): sent only in request bodies and form fields. */
  bodyOnly?: boolean;
};

const hit = (id: string) => `__xssHit('${id}')`;
const b64 = (s: string) =>
  typeof btoa === 'function' ? btoa(s) : Buffer.from(s, 'binary').toString('base64');

export const XSS_PAYLOADS: XssPayload[] = [
  // script tags
  { id: 'script', kind: 'script tag', value: `<script>${hit('script')}</script>` },
  { id: 'script-upper', kind: 'script tag, mixed case', value: `<ScRiPt>${hit('script-upper')}</sCrIpT>` },
  {
    id: 'script-src',
    kind: 'script with a data: src',
    value: `<script src="data:text/javascript,${hit('script-src')}"></script>`,
  },
  // event handlers
  { id: 'img', kind: 'event handler', value: `<img src=x onerror=${hit('img')}>` },
  { id: 'img-alert', kind: 'event handler → alert', value: `<img src=x onerror="alert('img-alert')">` },
  {
    id: 'details',
    kind: 'event handler without interaction',
    value: `<details open ontoggle=${hit('details')}>`,
  },
  { id: 'body', kind: 'body onload', value: `<body onload=${hit('body')}>` },
  // SVG
  { id: 'svg', kind: 'SVG onload', value: `<svg onload=${hit('svg')}>` },
  { id: 'svg-script', kind: 'SVG script', value: `<svg><script>${hit('svg-script')}</script></svg>` },
  // URLs
  { id: 'js-url', kind: 'javascript: URL', value: `javascript:${hit('js-url')}` },
  {
    id: 'js-url-obf',
    kind: 'javascript: URL, case and control characters',
    value: `  JaVa\tScRiPt:${hit('js-url-obf')}`,
  },
  {
    id: 'a-js',
    kind: 'anchor with javascript: href',
    value: `<a href="javascript:${hit('a-js')}">click</a>`,
  },
  { id: 'data-url', kind: 'data: URL', value: `data:text/html,<script>${hit('data-url')}</script>` },
  {
    id: 'data-b64',
    kind: 'data: URL, base64',
    value: `data:text/html;base64,${b64(`<script>${hit('data-b64')}</script>`)}`,
  },
  {
    id: 'iframe-js',
    kind: 'iframe with javascript: src',
    value: `<iframe src="javascript:${hit('iframe-js')}"></iframe>`,
  },
  {
    id: 'meta-refresh',
    kind: 'meta refresh',
    value: `<meta http-equiv="refresh" content="0;url=javascript:${hit('meta-refresh')}">`,
  },
  // attribute and context breakouts
  {
    id: 'attr-dq',
    kind: 'double-quoted attribute breakout',
    value: `" autofocus onfocus="${hit('attr-dq')}" x="`,
  },
  {
    id: 'attr-sq',
    kind: 'single-quoted attribute breakout',
    value: `' autofocus onfocus='${hit('attr-sq')}' x='`,
  },
  {
    id: 'close-tag',
    kind: 'closing the surrounding element',
    value: `"></p></textarea></title></style><script>${hit('close-tag')}</script>`,
  },
  {
    id: 'json-break',
    kind: 'breaking out of inline JSON',
    value: `</script><script>${hit('json-break')}</script>`,
  },
  {
    id: 'mxss',
    kind: 'mutation XSS (namespace confusion)',
    value: `<math><mtext><table><mglyph><style><img src=x onerror=${hit('mxss')}>`,
  },
  {
    id: 'entities',
    kind: 'pre-escaped markup (double-unescape)',
    value: `&lt;img src=x onerror=${hit('entities')}&gt;`,
  },
  { id: 'base', kind: 'base href hijack', value: `<base href="https://evil.example/">` },
  // template injection
  {
    id: 'tpl-angular',
    kind: 'template injection ({{ }})',
    value: `{{constructor.constructor('${hit('tpl-angular')}')()}}`,
  },
  { id: 'tpl-js', kind: 'template injection (${})', value: `\${${hit('tpl-js')}}` },
  {
    id: 'tpl-icu',
    kind: 'ICU message syntax',
    value: `{email} {0, select, other {<b onclick=${hit('tpl-icu')}>x</b>}} '{'`,
  },
  // text direction and invisible characters
  { id: 'rtl', kind: 'right-to-left override', value: `\u202Egnp.exe<img src=x onerror=${hit('rtl')}>` },
  {
    id: 'zero-width',
    kind: 'zero-width characters inside markup',
    value: `<\u200Bscript>${hit('zero-width')}</\u200Bscript><img\u200D src=x onerror=${hit('zero-width')}>`,
  },
  // languages of the app, mixed with markup
  {
    id: 'hy',
    kind: 'Armenian text with markup',
    value: `Բարև, աշխարհ <b onmouseover=${hit('hy')}>Հայաստան</b><img src=x onerror=${hit('hy')}>`,
  },
  {
    id: 'ru',
    kind: 'Russian text with markup',
    value: `Привет, мир <img src=x onerror=${hit('ru')}> «Заявление»`,
  },
  // size
  {
    id: 'long',
    kind: 'long string ending in markup',
    value: `${'Ա'.repeat(1500)}<img src=x onerror=${hit('long')}>`,
  },
  {
    id: 'huge',
    kind: '100 000 characters of markup',
    value: `<img src=x onerror=${hit('huge')}>`.repeat(3000).slice(0, 100_000),
    bodyOnly: true,
  },
];

/**
 * Addresses that pass the e-mail validation yet carry what an address can carry into markup (quotes, plus,
 * dashes, the maximum length): these reach every signed-in page, the dev mailbox and the e-mails.
 */
export const XSS_ACCEPTED_ADDRESSES: { id: string; local: string }[] = [
  { id: 'quote', local: "o'neil+x" },
  { id: 'quotes', local: "x'-'y'+'z" },
  { id: 'max', local: `${"a'".repeat(31)}b` }, // a 63-character local part
];

/** The marker the payloads call. Install before any page script runs (Playwright: addInitScript). */
export const XSS_INIT_SCRIPT = `
  window.__xssHits = [];
  window.__xssCsp = [];
  window.__xssHit = function (id) { window.__xssHits.push(String(id)); };
  document.addEventListener('securitypolicyviolation', function (e) {
    window.__xssCsp.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || ''));
  });
`;
