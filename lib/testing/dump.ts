// Every row of every table (all schemas but the catalogs) as text, for "this value is stored nowhere" checks.
import { getSql } from '@/db';

export async function dumpTables(): Promise<Map<string, string>> {
  const s = getSql();
  const tables = await s<{ table_schema: string; table_name: string }[]>`
    SELECT table_schema, table_name FROM information_schema.tables
    WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
    ORDER BY 1, 2`;
  const out = new Map<string, string>();
  for (const t of tables) {
    const name = `"${t.table_schema}"."${t.table_name}"`;
    const rows = await s.unsafe(`SELECT coalesce(string_agg(t::text, E'\\n'), '') AS d FROM ${name} t`);
    out.set(`${t.table_schema}.${t.table_name}`, String(rows[0]!.d));
  }
  return out;
}

/** The tables whose text contains `needle`. */
export async function tablesContaining(needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const [name, text] of await dumpTables()) if (text.includes(needle)) found.push(name);
  return found;
}
