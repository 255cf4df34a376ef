// npm run import -- <file.json> [--order joined|alphabetical] [--initiator "<name as in the file>"]
// Imports a past statement (R8, the fixture format of db/fixtures/README.md) and publishes it; prints its public URL.
// Runs through the launcher (embedded PostgreSQL or DATABASE_URL), so it works whether or not the app is running.
// Importing the same file again changes nothing. Exit code 1 on bad input.
import fs from 'node:fs';
import path from 'node:path';

const USAGE = 'usage: npm run import -- <file.json> [--order joined|alphabetical] [--initiator "<organization name as in the file>"]';

function fail(message: string): never {
  console.error(`[import] ${message}`);
  process.exit(1);
}

function parseArgs(argv: string[]) {
  let file: string | null = null;
  let order: string | undefined;
  let initiator: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') continue;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (flag === '--order' || flag === '--initiator') {
      const value = inline ?? argv[++i];
      if (value === undefined) fail(`${flag} needs a value\n${USAGE}`);
      if (flag === '--order') order = value;
      else initiator = value;
    } else if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (flag.startsWith('--')) fail(`unknown option ${flag}\n${USAGE}`);
    else if (file === null) file = a;
    else fail(`one file at a time (got "${file}" and "${a}")\n${USAGE}`);
  }
  if (!file) fail(`no file given\n${USAGE}`);
  if (order !== undefined && order !== 'joined' && order !== 'alphabetical') fail(`--order must be "joined" or "alphabetical" (got "${order}")`);
  return { file, order: order as 'joined' | 'alphabetical' | undefined, initiator };
}

async function main() {
  const { file, order, initiator } = parseArgs(process.argv.slice(2));
  // `npm run` changes into the package directory; a relative path means the caller's directory.
  const full = path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
  let text: string;
  try {
    text = fs.readFileSync(full, 'utf8');
  } catch (e) {
    fail(`cannot read ${full}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    fail(`${full} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  // Loaded only now: bad arguments and unreadable files are answered without loading the database code.
  const { getDb } = await import('../db');
  const { importStatement, publicUrl } = await import('../lib/import');
  const r = await importStatement(getDb(), json, { order, initiator });
  const url = publicUrl(process.env.APP_URL || 'http://localhost:3000', r.lang, r.slug);
  console.log(r.created ? `[import] created and published: ${url}` : `[import] already imported (nothing changed): ${url}`);
}

const closeDb = async () => (await import('../db')).closeDb();

main()
  .then(() => closeDb())
  .catch(async (e) => {
    await closeDb().catch(() => {});
    const { isAppError } = await import('../lib/errors');
    fail(isAppError(e) ? `invalid input: ${e.message}` : `failed: ${e instanceof Error ? e.message : String(e)}`);
  });
