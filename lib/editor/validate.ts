/**
 * Server-side truth for rich text (SECURITY.md I9): a document is accepted only when the editor's own
 * schema would keep it exactly as sent. Anything the schema would drop or change — unknown node or mark
 * types, unknown attributes, a heading level other than 2 or 3, a link to another protocol — is refused
 * with the JSON path of the first problem. The stored document is `node.toJSON()`.
 */
import { getSchema } from '@tiptap/core';
import { Node as PMNode, type Schema } from '@tiptap/pm/model';
import { textProblem } from '@/lib/validation/strings';
import {
  DOC_LIMITS,
  type DocJSON,
  editorExtensions,
  FOOTNOTE_MAX_CHARS,
  HEADING_LEVELS,
  isAllowedHref,
  MARK_TYPES,
  NODE_TYPES,
} from './extensions';

let cached: Schema | null = null;
export function editorSchema(): Schema {
  cached ??= getSchema(editorExtensions());
  return cached;
}

export type DocProblem = { path: string; reason: DocProblemReason; detail?: string };
export type DocProblemReason =
  | 'tooLarge'
  | 'tooManyNodes'
  | 'tooDeep'
  | 'notAnObject'
  | 'unknownNode'
  | 'unknownMark'
  | 'unknownKey'
  | 'unknownAttribute'
  | 'attributeChanged'
  | 'badHeadingLevel'
  | 'badLink'
  | 'badText'
  | 'badFootnote'
  | 'invalidStructure';

export type ValidationResult = { ok: true; doc: DocJSON; nodes: number } | { ok: false; problem: DocProblem };

const NODE_KEYS = new Set(['type', 'attrs', 'content', 'marks', 'text']);
const MARK_KEYS = new Set(['type', 'attrs']);
const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Attribute values are JSON scalars (an object would be kept by the schema as is, unchecked and unbounded in depth),
 * and their strings must be storable text (PostgreSQL refuses NUL and lone surrogates in jsonb).
 */
function attrValuesProblem(attrs: Record<string, unknown>, path: string): DocProblem | null {
  for (const [k, a] of Object.entries(attrs)) {
    if (a !== null && typeof a === 'object') return { path: `${path}.${k}`, reason: 'attributeChanged' };
    const p = typeof a === 'string' ? textProblem(a) : null;
    if (p) return { path: `${path}.${k}`, reason: 'badText', detail: p };
  }
  return null;
}

/**
 * Walks the raw input without recursion (so a 100,000-deep document cannot blow the stack) and checks the
 * limits and the closed lists before ProseMirror sees it.
 */
function preflight(input: unknown): DocProblem | { nodes: number } {
  if (!isObj(input) || input.type !== 'doc') return { path: '$', reason: 'notAnObject' };
  let nodes = 0;
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: input, path: '$', depth: 1 }];
  while (stack.length) {
    const { v, path, depth } = stack.pop()!;
    if (!isObj(v)) return { path, reason: 'notAnObject' };
    nodes++;
    if (nodes > DOC_LIMITS.maxNodes)
      return { path, reason: 'tooManyNodes', detail: String(DOC_LIMITS.maxNodes) };
    if (depth > DOC_LIMITS.maxDepth) return { path, reason: 'tooDeep', detail: String(DOC_LIMITS.maxDepth) };
    for (const k of Object.keys(v))
      if (!NODE_KEYS.has(k)) return { path: `${path}.${k}`, reason: 'unknownKey' };
    if (typeof v.type !== 'string' || !(NODE_TYPES as readonly string[]).includes(v.type))
      return { path: `${path}.type`, reason: 'unknownNode', detail: String(v.type).slice(0, 40) };
    if (v.attrs !== undefined && !isObj(v.attrs)) return { path: `${path}.attrs`, reason: 'notAnObject' };
    if (v.text !== undefined) {
      if (typeof v.text !== 'string' || v.type !== 'text') return { path: `${path}.text`, reason: 'badText' };
      const p = textProblem(v.text);
      if (p) return { path: `${path}.text`, reason: 'badText', detail: p };
    }
    if (v.marks !== undefined) {
      if (!Array.isArray(v.marks)) return { path: `${path}.marks`, reason: 'notAnObject' };
      for (let i = 0; i < v.marks.length; i++) {
        const m: unknown = v.marks[i];
        const mp = `${path}.marks[${i}]`;
        if (!isObj(m)) return { path: mp, reason: 'notAnObject' };
        for (const k of Object.keys(m))
          if (!MARK_KEYS.has(k)) return { path: `${mp}.${k}`, reason: 'unknownKey' };
        if (typeof m.type !== 'string' || !(MARK_TYPES as readonly string[]).includes(m.type))
          return { path: `${mp}.type`, reason: 'unknownMark', detail: String(m.type).slice(0, 40) };
        if (m.type === 'link') {
          const href = isObj(m.attrs) ? m.attrs.href : undefined;
          if (!isAllowedHref(href) || textProblem(href))
            return { path: `${mp}.attrs.href`, reason: 'badLink' };
        }
        const ap = isObj(m.attrs) ? attrValuesProblem(m.attrs, `${mp}.attrs`) : null;
        if (ap) return ap;
      }
    }
    if (v.type === 'heading') {
      const level = v.attrs?.level;
      if (!(HEADING_LEVELS as readonly unknown[]).includes(level))
        return { path: `${path}.attrs.level`, reason: 'badHeadingLevel' };
    }
    if (v.type === 'footnote') {
      const t = v.attrs?.text;
      if (typeof t !== 'string' || t.length > FOOTNOTE_MAX_CHARS || textProblem(t))
        return { path: `${path}.attrs.text`, reason: 'badFootnote' };
    }
    if (v.type === 'orderedList' && v.attrs?.start !== undefined) {
      const s = v.attrs.start;
      if (typeof s !== 'number' || !Number.isInteger(s) || s < 1 || s > 100_000)
        return { path: `${path}.attrs.start`, reason: 'attributeChanged' };
    }
    const ap = v.attrs ? attrValuesProblem(v.attrs, `${path}.attrs`) : null;
    if (ap) return ap;
    // List numbering styles HTML knows; anything else would be stored as sent.
    if (
      v.type === 'orderedList' &&
      v.attrs?.type !== undefined &&
      v.attrs.type !== null &&
      !/^[1aAiI]$/.test(String(v.attrs.type))
    )
      return { path: `${path}.attrs.type`, reason: 'attributeChanged' };
    if (v.content !== undefined) {
      if (!Array.isArray(v.content)) return { path: `${path}.content`, reason: 'notAnObject' };
      for (let i = v.content.length - 1; i >= 0; i--)
        stack.push({ v: v.content[i], path: `${path}.content[${i}]`, depth: depth + 1 });
    }
  }
  return { nodes };
}

/** Input must equal what the schema produces, except that attributes left out may be filled with defaults. */
function compare(input: unknown, output: unknown, path: string): DocProblem | null {
  if (!isObj(input) || !isObj(output)) return input === output ? null : { path, reason: 'attributeChanged' };
  if (input.type !== output.type) return { path: `${path}.type`, reason: 'invalidStructure' };
  if (input.text !== output.text) return { path: `${path}.text`, reason: 'badText' };
  const ia = isObj(input.attrs) ? input.attrs : {};
  const oa = isObj(output.attrs) ? output.attrs : {};
  for (const [k, val] of Object.entries(ia)) {
    if (!(k in oa)) return { path: `${path}.attrs.${k}`, reason: 'unknownAttribute' };
    if (oa[k] !== val) return { path: `${path}.attrs.${k}`, reason: 'attributeChanged' };
  }
  // ProseMirror orders marks by schema rank; the order sent does not matter, the set does.
  const byType = (a: unknown, b: unknown) =>
    String(isObj(a) ? a.type : '').localeCompare(String(isObj(b) ? b.type : ''));
  // Paths name the mark's index as sent, not its index after sorting.
  const im = Array.isArray(input.marks)
    ? (input.marks as unknown[]).map((m, at) => ({ m, at })).sort((a, b) => byType(a.m, b.m))
    : [];
  const om = Array.isArray(output.marks) ? [...(output.marks as unknown[])].sort(byType) : [];
  if (im.length !== om.length) return { path: `${path}.marks`, reason: 'invalidStructure' };
  for (let i = 0; i < im.length; i++) {
    const p = compare(im[i]!.m, om[i], `${path}.marks[${im[i]!.at}]`);
    if (p) return p;
  }
  const ic = Array.isArray(input.content) ? input.content : [];
  const oc = Array.isArray(output.content) ? output.content : [];
  if (ic.length !== oc.length) return { path: `${path}.content`, reason: 'invalidStructure' };
  for (let i = 0; i < ic.length; i++) {
    const p = compare(ic[i], oc[i], `${path}.content[${i}]`);
    if (p) return p;
  }
  return null;
}

/**
 * UTF-8 size of `JSON.stringify(v)`. JSON.stringify recurses: a value too deep for it (100,000 levels) counts as 0
 * here, and the preflight then refuses it as tooDeep instead of the stack overflowing.
 */
function jsonBytes(v: unknown): number {
  try {
    return new TextEncoder().encode(JSON.stringify(v ?? null)).length;
  } catch {
    return 0;
  }
}

/** Validate a parsed JSON document; `byteLength` is the size of the JSON as received (UTF-8), if known. */
export function validateDoc(input: unknown, byteLength?: number): ValidationResult {
  const size = byteLength ?? jsonBytes(input);
  if (size > DOC_LIMITS.maxBytes)
    return { ok: false, problem: { path: '$', reason: 'tooLarge', detail: String(DOC_LIMITS.maxBytes) } };
  const pre = preflight(input);
  if ('reason' in pre) return { ok: false, problem: pre };
  let node: PMNode;
  try {
    node = PMNode.fromJSON(editorSchema(), input as Parameters<typeof PMNode.fromJSON>[1]);
    node.check();
  } catch (e) {
    return {
      ok: false,
      problem: {
        path: '$',
        reason: 'invalidStructure',
        detail: e instanceof Error ? e.message.slice(0, 200) : undefined,
      },
    };
  }
  const out = node.toJSON() as DocJSON;
  const diff = compare(input, out, '$');
  if (diff) return { ok: false, problem: diff };
  return { ok: true, doc: out, nodes: pre.nodes };
}
