/**
 * Guard for "all strings in one place": no page component writes a sentence inline. Every
 * components/**\/*.tsx file is parsed (rolldown's oxc parser, which vite ships; TypeScript 7 has
 * no JS parser API); a JSX text node, or a string or template given to a user-facing JSX
 * attribute (aria-label, label, title, placeholder, alt), with three or more words must come from
 * components/strings.ts (`S`) instead. Short labels, code and punctuation pass; the allow-list is explicit.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAst } from 'rolldown/parseAst';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const TEXT_ATTRS = new Set(['aria-label', 'label', 'title', 'placeholder', 'alt']);
/** file → inline texts allowed to stay (none) */
const ALLOWED: Record<string, readonly string[]> = {};

function tsxFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    if (statSync(path.join(ROOT, rel)).isDirectory()) return tsxFiles(rel);
    return rel.endsWith('.tsx') ? [rel] : [];
  });
}

/** words of two or more letters */
const words = (t: string) => t.split(/\s+/).filter((w) => /\p{L}{2,}/u.test(w)).length;

type Node = { type: string; [k: string]: unknown };
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && typeof (v as Node).type === 'string';

function attrText(value: unknown): string | null {
  if (!isNode(value)) return null;
  if (value.type === 'Literal' && typeof value.value === 'string') return value.value;
  if (value.type === 'JSXExpressionContainer') return attrText(value.expression);
  if (value.type === 'TemplateLiteral') return (value.quasis as { value: { cooked: string } }[]).map((q) => q.value.cooked).join(' … ');
  return null;
}

/** The strings a JSX child expression renders: a literal, a template, or the branches of `?:`, `&&`, `||`, `??`. */
function childTexts(e: unknown): string[] {
  if (!isNode(e)) return [];
  if (e.type === 'Literal' || e.type === 'TemplateLiteral') return [attrText(e)].filter((t): t is string => t !== null);
  if (e.type === 'ConditionalExpression') return [...childTexts(e.consequent), ...childTexts(e.alternate)];
  if (e.type === 'LogicalExpression') return childTexts(e.right);
  return [];
}

/** Inline texts of three or more words in one TSX source. */
export function inlineSentences(source: string, fileName = 'x.tsx'): string[] {
  const found: string[] = [];
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (!isNode(n)) return;
    if (n.type === 'JSXText') {
      const t = String(n.value).replace(/\s+/g, ' ').trim();
      if (words(t) >= 3) found.push(t);
    } else if (n.type === 'JSXElement' || n.type === 'JSXFragment') {
      for (const c of n.children as Node[]) if (c.type === 'JSXExpressionContainer') for (const t of childTexts(c.expression)) if (words(t) >= 3) found.push(t);
    } else if (n.type === 'JSXAttribute' && isNode(n.name) && TEXT_ATTRS.has(String(n.name.name))) {
      const t = attrText(n.value);
      if (t && words(t) >= 3) found.push(t);
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'type' && typeof v === 'object') visit(v);
  };
  visit(parseAst(source, { lang: 'tsx' }, fileName));
  return found;
}

describe('strings in one place', () => {
  const files = tsxFiles('components');

  it('the scan sees the pages and catches an inline sentence (text node, attribute, template)', () => {
    expect(files.length).toBeGreaterThan(40);
    expect(files).toContain(path.join('components', 'options', 'NetworksSection.tsx'));
    expect(files).toContain(path.join('components', 'approval', 'ApprovalCard.tsx'));
    expect(files).toContain(path.join('components', 'onboarding', 'DoneView.tsx'));
    expect(inlineSentences('const a = <p>Nothing paid yet here.</p>;')).toEqual(['Nothing paid yet here.']);
    expect(inlineSentences('const a = <button aria-label="Remove this site">x</button>;')).toEqual(['Remove this site']);
    expect(inlineSentences('const a = <input placeholder={`RPC URL for ${x}`} />;')).toEqual(['RPC URL for  … ']);
    expect(inlineSentences('const a = <F label={"Explorer URL (optional)"} />;')).toEqual(['Explorer URL (optional)']);
    expect(inlineSentences("const a = <b>{busy ? 'Checking the RPC…' : 'Save network'}{x && 'No custom tokens here'}</b>;")).toEqual(['Checking the RPC…', 'No custom tokens here']);
    // texts from S, short labels, ids and punctuation pass
    expect(inlineSentences('const a = <p title="0x…" data-x="a b c d">{S.history.empty} (chain {id}) · {S.x}</p>;')).toEqual([]);
  });

  it('no component writes a sentence of three or more words inline', () => {
    const offenders = files.flatMap((f) => {
      const allowed = ALLOWED[f] ?? [];
      return inlineSentences(readFileSync(path.join(ROOT, f), 'utf8'), f)
        .filter((t) => !allowed.includes(t))
        .map((t) => `${f}: "${t}"`);
    });
    expect(offenders).toEqual([]);
  });
});
