// The registry test (SECURITY.md "Tests that prove it"): every exported server action and route-handler
// method has an access-matrix entry, and every entry points at something that exists. Parsed with the
// TypeScript compiler, so `export const { GET, POST } = handlers` and `export { x as POST }` count too.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ACCESS_MATRIX, pendingRoles, ROLE_SETS, splitId, totalCells } from './access-matrix';

const ROOT = path.resolve(import.meta.dirname, '..');
const HTTP_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

function walk(dir: string, out: string[] = []): string[] {
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

const rel = (p: string) => path.relative(ROOT, p).split(path.sep).join('/');
const parse = (file: string) =>
  ts.createSourceFile(
    file,
    fs.readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );

const hasModifier = (n: ts.Node, kind: ts.SyntaxKind) =>
  ts.canHaveModifiers(n) ? (ts.getModifiers(n) ?? []).some((m) => m.kind === kind) : false;

function bindingNames(b: ts.BindingName, out: string[]) {
  if (ts.isIdentifier(b)) out.push(b.text);
  else for (const el of b.elements) if (!ts.isOmittedExpression(el)) bindingNames(el.name, out);
}

/** The value exports of a module (types excluded), plus anything we cannot account for. */
function exportsOf(file: string): { names: string[]; problems: string[] } {
  const sf = parse(file);
  const names: string[] = [];
  const problems: string[] = [];
  for (const st of sf.statements) {
    if (ts.isExportAssignment(st)) problems.push('has a default export');
    if (ts.isExportDeclaration(st)) {
      if (st.isTypeOnly) continue;
      if (!st.exportClause) problems.push(`re-exports everything from ${st.moduleSpecifier?.getText(sf)}`);
      else if (ts.isNamedExports(st.exportClause))
        for (const e of st.exportClause.elements)
          if (!e.isTypeOnly) names.push(e.name.text);
          else problems.push('has a namespace export');
      continue;
    }
    if (!hasModifier(st, ts.SyntaxKind.ExportKeyword)) continue;
    if (hasModifier(st, ts.SyntaxKind.DefaultKeyword)) problems.push('has a default export');
    else if (ts.isFunctionDeclaration(st) && st.name) names.push(st.name.text);
    else if (ts.isVariableStatement(st))
      for (const d of st.declarationList.declarations) bindingNames(d.name, names);
    else if (ts.isClassDeclaration(st) && st.name) names.push(st.name.text);
    else if (ts.isEnumDeclaration(st)) names.push(st.name.text);
  }
  return { names, problems };
}

const hasUseServerDirective = (sf: ts.SourceFile) =>
  sf.statements.some(
    (s) =>
      ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression) && s.expression.text === 'use server',
  );

/** Any 'use server' directive inside a function body (an inline server action). */
function inlineUseServer(sf: ts.SourceFile): boolean {
  let found = false;
  const visit = (n: ts.Node) => {
    if (found) return;
    if (
      (ts.isFunctionDeclaration(n) ||
        ts.isFunctionExpression(n) ||
        ts.isArrowFunction(n) ||
        ts.isMethodDeclaration(n)) &&
      n.body &&
      ts.isBlock(n.body)
    ) {
      if (
        n.body.statements.some(
          (s) =>
            ts.isExpressionStatement(s) &&
            ts.isStringLiteral(s.expression) &&
            s.expression.text === 'use server',
        )
      )
        found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

type Found = { id: string; kind: 'action' | 'route' };

function scan(): { found: Found[]; problems: string[] } {
  const found: Found[] = [];
  const problems: string[] = [];
  const sourceFiles = [
    ...walk(path.join(ROOT, 'app')),
    ...(fs.existsSync(path.join(ROOT, 'components')) ? walk(path.join(ROOT, 'components')) : []),
  ].filter((f) => /\.(ts|tsx)$/.test(f));
  for (const file of sourceFiles) {
    const r = rel(file);
    const sf = parse(file);
    const isActionsFile = /^app\/_actions\/[^/]+\.ts$/.test(r);
    const isRoute = /^app\/.*\/route\.(ts|tsx|js)$/.test(r);
    // Server actions live in app/_actions/ only (CONVENTIONS.md), so this scan sees all of them.
    if (!isActionsFile && (hasUseServerDirective(sf) || inlineUseServer(sf)))
      problems.push(`${r}: 'use server' outside app/_actions/ (move the action there)`);
    if (isActionsFile) {
      if (!hasUseServerDirective(sf)) problems.push(`${r}: an app/_actions file without 'use server'`);
      const { names, problems: p } = exportsOf(file);
      for (const x of p) problems.push(`${r}: ${x}`);
      for (const n of names) found.push({ id: `${r}#${n}`, kind: 'action' });
    }
    if (isRoute) {
      const { names, problems: p } = exportsOf(file);
      for (const x of p) problems.push(`${r}: ${x}`);
      for (const n of names) if (HTTP_METHODS.has(n)) found.push({ id: `${r}#${n}`, kind: 'route' });
    }
  }
  for (const f of walk(path.join(ROOT, 'app')))
    if (/\/route\.(js|mjs|jsx)$/.test(f)) problems.push(`${rel(f)}: route handlers are TypeScript here`);
  return { found, problems };
}

describe('access-matrix registry', () => {
  const { found, problems } = scan();

  it('finds the actions and route handlers of the source tree', () => {
    expect(problems).toEqual([]);
    expect(found.filter((f) => f.kind === 'action').length).toBeGreaterThan(0);
    expect(found.filter((f) => f.kind === 'route').length).toBeGreaterThan(0);
  });

  it('has an entry for every exported server action and route-handler method', () => {
    const ids = new Set(ACCESS_MATRIX.map((e) => e.id));
    const missing = found
      .filter((f) => !ids.has(f.id as never))
      .map((f) => `${f.id} (${f.kind}) has no entry in lib/access-matrix.ts`);
    expect(missing).toEqual([]);
  });

  it('has no entry for something that no longer exists, and no duplicates', () => {
    const existing = new Map(found.map((f) => [f.id, f.kind]));
    const stale = ACCESS_MATRIX.filter((e) => !existing.has(e.id)).map(
      (e) => `${e.id}: not exported by ${splitId(e.id).file}`,
    );
    expect(stale).toEqual([]);
    const wrongKind = ACCESS_MATRIX.filter((e) => existing.has(e.id) && existing.get(e.id) !== e.kind).map(
      (e) => `${e.id}: kind ${e.kind}, found ${existing.get(e.id)}`,
    );
    expect(wrongKind).toEqual([]);
    const seen = new Set<string>();
    const dups = ACCESS_MATRIX.filter((e) => (seen.has(e.id) ? true : (seen.add(e.id), false))).map(
      (e) => e.id,
    );
    expect(dups).toEqual([]);
  });

  it('has well-formed entries', () => {
    const bad: string[] = [];
    for (const e of ACCESS_MATRIX) {
      if (e.cells.length === 0) bad.push(`${e.id}: no cells`);
      if (e.csrf.rule === 'exempt' && e.csrf.reason.trim().length < 8)
        bad.push(`${e.id}: exempt from the origin check without a written reason`);
      // Server actions are all reachable by a cross-site POST: they go through action(), which checks the origin.
      if (e.kind === 'action' && e.csrf.rule !== 'origin-checked')
        bad.push(`${e.id}: a server action must be origin-checked`);
      if (e.kind === 'action' && !e.sample) bad.push(`${e.id}: no sample payload (the wiring tests send it)`);
      // Every signed-in-only mutation has a denial for ANON (and an allowed twin for USER).
      if (e.mutates && !e.public) {
        if (!e.cells.some((c) => c.role === 'ANON' && c.expect.outcome === 'deny'))
          bad.push(`${e.id}: signed-in only, but no ANON denial`);
        if (!e.cells.some((c) => c.expect.outcome === 'allow'))
          bad.push(`${e.id}: no allowed cell to pair with its denials`);
      }
      // Every role of the entry's role set is stated for every action; routes state at least the signed-out case.
      const roles: readonly string[] = ROLE_SETS[e.roles];
      for (const c of e.cells)
        if (!roles.includes(c.role)) bad.push(`${e.id}: role ${c.role} is not in the ${e.roles} role set`);
      // A role that does not exist in the product yet may be pending instead, listed with its reason; it then
      // has no cells (a cell makes it no longer pending) and is printed in the report below.
      const pending = new Set<string>();
      for (const p of e.pending ?? []) {
        if (p.roles.length === 0) bad.push(`${e.id}: a pending group without roles`);
        if (p.reason.trim().length < 20)
          bad.push(`${e.id}: pending ${p.roles.join(', ')} without a written reason`);
        for (const r of p.roles) {
          if (!roles.includes(r)) bad.push(`${e.id}: pending role ${r} is not in the ${e.roles} role set`);
          if (pending.has(r)) bad.push(`${e.id}: role ${r} is pending twice`);
          if (e.cells.some((c) => c.role === r))
            bad.push(`${e.id}: role ${r} has cells, so it is not pending`);
          pending.add(r);
        }
      }
      if (pending.has('ANON')) bad.push(`${e.id}: ANON (signed out) cannot be pending`);
      if (e.kind === 'action')
        for (const r of roles)
          if (!e.cells.some((c) => c.role === r) && !pending.has(r))
            bad.push(`${e.id}: no cell for role ${r}`);
      if (!e.cells.some((c) => c.role === 'ANON')) bad.push(`${e.id}: no cell for ANON (signed out)`);
      if ('fn' in e.lib) {
        const { file, name } = splitId(e.lib.fn);
        const p = path.join(ROOT, file);
        if (!fs.existsSync(p) || !exportsOf(p).names.includes(name))
          bad.push(`${e.id}: lib target ${e.lib.fn} does not exist`);
        // A test file that claims to prove the cells must at least call the function.
        for (const t of e.provedBy ?? []) {
          const tp = path.join(ROOT, t);
          if (!fs.existsSync(tp)) bad.push(`${e.id}: provedBy ${t} does not exist`);
          else if (!new RegExp(`\\b${name}\\(`).test(fs.readFileSync(tp, 'utf8')))
            bad.push(`${e.id}: ${t} never calls ${name}()`);
        }
      } else if (e.provedBy) bad.push(`${e.id}: provedBy without a lib function`);
    }
    expect(bad).toEqual([]);
  });

  it('every server action goes through action() (lib/action.ts)', () => {
    const bad: string[] = [];
    for (const f of found.filter((x) => x.kind === 'action')) {
      const { file, name } = splitId(f.id);
      const src = fs.readFileSync(path.join(ROOT, file), 'utf8');
      if (!/from '@\/lib\/action'/.test(src)) bad.push(`${file}: does not import action() from @/lib/action`);
      // The exported function's body must call a const built with action(…).
      const sf = parse(path.join(ROOT, file));
      const wrapped = new Set<string>();
      for (const st of sf.statements)
        if (ts.isVariableStatement(st))
          for (const d of st.declarationList.declarations)
            if (
              ts.isIdentifier(d.name) &&
              d.initializer &&
              ts.isCallExpression(d.initializer) &&
              d.initializer.expression.getText(sf) === 'action'
            )
              wrapped.add(d.name.text);
      const fn = sf.statements.find(
        (s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === name,
      );
      const body = fn?.body?.getText(sf) ?? '';
      if (![...wrapped].some((w) => new RegExp(`\\b${w}\\(`).test(body)))
        bad.push(`${f.id}: does not call an action(…)-wrapped handler`);
    }
    expect(bad).toEqual([]);
  });

  it('reports the figures', () => {
    const actions = found.filter((f) => f.kind === 'action').length;
    const routes = found.filter((f) => f.kind === 'route').length;
    console.log(
      `Registry: ${ACCESS_MATRIX.length} entries (${actions} server actions, ${routes} route-handler methods), ${totalCells()} access cases in the matrix`,
    );
    // Roles whose cells wait for a later issue: named, with why, so they are not mistaken for covered.
    const pending = pendingRoles();
    if (pending.length > 0) {
      const byReason = new Map<string, string[]>();
      for (const p of pending) {
        const k = `${p.roles.join(', ')}: ${p.reason}`;
        byReason.set(k, [...(byReason.get(k) ?? []), splitId(p.id).name]);
      }
      console.log(
        `Registry: ${pending.reduce((n, p) => n + p.roles.length, 0)} role cells pending in ${new Set(pending.map((p) => p.id)).size} entries`,
      );
      for (const [k, ids] of byReason) console.log(`  pending ${k} — ${ids.join(', ')}`);
    }
  });
});
