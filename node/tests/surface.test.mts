// The Node surface against core's description of it (tests/surface.json):
// the exported classes at run time, and the compiled .d.ts through the
// TypeScript checker. A miss says what to add, and where.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import * as pkg from 'novabilling';
import ts from 'typescript';

import { PKG, ROOT } from './helpers.mjs';

interface Param { name: string; type: string }
interface Method { name: string; params: Param[]; options: string[] }
interface Surface {
  client_options: Param[];
  request_options: Param[];
  resources: { name: string; methods: Method[] }[];
  models: { name: string; kind: 'result' | 'input'; fields: Param[] }[];
  errors: { name: string; parent: string | null; fields: Param[] }[];
  functions: { namespace: string; name: string; params: Param[] }[];
}

const surface = JSON.parse(readFileSync(join(ROOT, 'tests/surface.json'), 'utf8')) as Surface;
const camel = (s: string): string => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
// Node spells a span of time in milliseconds, and says so in the name.
const jsName = (p: Param): string => (p.type.startsWith('duration') ? `${camel(p.name)}Ms` : camel(p.name));
// Inputs are plain objects typed by these interfaces.
const INPUT_TYPE: Record<string, string> = {
  CustomerCreate: 'CustomerCreateParams',
  CustomerUpdate: 'CustomerUpdateParams',
  ListParams: 'CustomerListParams',
  PageParams: 'PageParams',
  SubscriptionCreate: 'SubscriptionCreateParams',
  InvoiceCreate: 'InvoiceCreateParams',
  KeyCreate: 'KeyCreateParams',
  EventListParams: 'EventListParams',
  StripeCustomer: 'StripeCustomerInput',
};
// What every result carries beside its wire fields (ResponseInfo).
const META = new Set(['request_id', 'etag']);

const program = ts.createProgram([join(PKG, 'lib/index.d.ts')], { strict: true, types: [] });
const checker = program.getTypeChecker();
const entry = program.getSourceFile(join(PKG, 'lib/index.d.ts'));
assert.ok(entry, 'lib/index.d.ts: build the package first (scripts/node-env.sh)');
const exported = new Map(
  checker.getExportsOfModule(checker.getSymbolAtLocation(entry)!).map((s) => [s.name, s] as const),
);

/** The property names of an exported type (interfaces with their bases, or a class's instances). */
function props(name: string): Set<string> | null {
  const sym = exported.get(name);
  if (sym === undefined) return null;
  const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
  return new Set(checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(target)).map((p) => p.name));
}

/** A class method's parameter names, from the .d.ts. */
function params(cls: string, method: string): string[] | null {
  const sym = exported.get(cls);
  if (sym === undefined) return null;
  const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
  const m = checker.getPropertyOfType(checker.getDeclaredTypeOfSymbol(target), method);
  const decl = m?.declarations?.[0];
  if (decl === undefined || !ts.isMethodDeclaration(decl)) return null;
  return decl.parameters.map((p) => p.name.getText());
}

const runtime = pkg as unknown as Record<string, { prototype: object } | undefined>;

test('every resource method with its parameters and options, at run time and in the .d.ts', () => {
  const problems: string[] = [];
  const requestOptions = props('RequestOptions') ?? new Set<string>();
  for (const r of surface.resources) {
    const cls = r.name[0].toUpperCase() + r.name.slice(1);
    for (const m of r.methods) {
      const name = camel(m.name);
      const where = `${cls}.${name}`;
      if (typeof (runtime[cls]?.prototype as Record<string, unknown> | undefined)?.[name] !== 'function') {
        problems.push(`${where}() is missing: add it to node/src/resources.ts`);
      }
      const got = params(cls, name);
      // An optional parameter goes in the options object, as the namespace functions' do.
      const positional = m.params.filter((p) => !p.type.endsWith('?') || INPUT_TYPE[p.type.replace('?', '')]);
      const want = [...positional.map((p) => (INPUT_TYPE[p.type] ? 'params' : camel(p.name))), 'options'];
      if (got === null) problems.push(`${where}() is missing from the .d.ts`);
      else if (got.join(',') !== want.join(',') && !(m.name === 'merge_metadata' && got.join(',') === 'id,changes,options')) {
        problems.push(`${where}(${got.join(', ')}) should take (${want.join(', ')})`);
      }
      for (const o of m.options) {
        if (!requestOptions.has(jsName(surface.request_options.find((p) => p.name === o)!))) {
          problems.push(`RequestOptions lacks ${jsName({ name: o, type: '' })} (node/src/types.ts)`);
        }
      }
    }
  }
  assert.deepEqual(problems, []);
});

test('every model field, in the .d.ts', () => {
  const problems: string[] = [];
  for (const model of surface.models) {
    const type = model.kind === 'input' ? INPUT_TYPE[model.name] : model.name;
    const got = props(type);
    if (got === null) {
      problems.push(`type ${type} is not exported (node/src/types.ts)`);
      continue;
    }
    for (const f of model.fields) {
      if (model.kind === 'result' && META.has(f.name) && model.name !== 'CustomerPage') continue;
      if (!got.has(camel(f.name))) problems.push(`${type}.${camel(f.name)} is missing (node/src/types.ts or pages.ts)`);
    }
  }
  const meta = props('CustomerResponseInfo');
  assert.ok(meta?.has('requestId') && meta.has('etag'), 'results carry requestId and etag');
  assert.deepEqual(problems, []);
});

test('every error class with its parent and fields', () => {
  const problems: string[] = [];
  for (const e of surface.errors) {
    const cls = runtime[e.name] as unknown as (new (m: string) => Record<string, unknown>) | undefined;
    if (typeof cls !== 'function') {
      problems.push(`${e.name} is not exported (node/src/errors.ts)`);
      continue;
    }
    if (e.parent !== null && Object.getPrototypeOf(cls).name !== e.parent) {
      problems.push(`${e.name} must extend ${e.parent}`);
    }
    const instance = new cls('x');
    for (const f of e.fields) {
      if (!(camel(f.name) in instance)) problems.push(`${e.name}.${camel(f.name)} is missing (node/src/errors.ts)`);
    }
    const declared = props(e.name);
    for (const f of e.fields) {
      if (!declared?.has(camel(f.name))) problems.push(`${e.name}.${camel(f.name)} is missing from the .d.ts`);
    }
  }
  assert.deepEqual(problems, []);
});

test('every client setting', () => {
  const got = props('ClientOptions') ?? new Set<string>();
  const missing = surface.client_options.map(jsName).filter((n) => !got.has(n));
  assert.deepEqual(missing, [], 'ClientOptions (node/src/types.ts) lacks these');
});

/** A namespace function's parameter names, from the .d.ts (`webhooks.verify`). */
function fnParams(namespace: string, name: string): string[] | null {
  const ns = exported.get(namespace);
  if (ns === undefined) return null;
  const target = ns.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(ns) : ns;
  const fn = checker.getExportsOfModule(target).find((s) => s.name === name);
  const decl = fn?.declarations?.[0];
  if (decl === undefined || !ts.isFunctionDeclaration(decl)) return null;
  return decl.parameters.map((p) => p.name.getText());
}

test('every namespace function: required parameters in order, optional ones in its options type', () => {
  const problems: string[] = [];
  const OPTIONS: Record<string, string> = { verify: 'VerifyOptions', sign: 'SignOptions' };
  for (const f of surface.functions) {
    const where = `${f.namespace}.${camel(f.name)}`;
    const ns = (pkg as unknown as Record<string, Record<string, unknown> | undefined>)[f.namespace];
    if (typeof ns?.[camel(f.name)] !== 'function') problems.push(`${where}() is missing (node/src/${f.namespace}.ts)`);
    const required = f.params.filter((p) => !p.type.endsWith('?')).map((p) => camel(p.name));
    const got = fnParams(f.namespace, camel(f.name));
    if (got === null) problems.push(`${where}() is missing from the .d.ts`);
    else if (got.join(',') !== [...required, 'options'].join(',')) {
      problems.push(`${where}(${got.join(', ')}) should take (${[...required, 'options'].join(', ')})`);
    }
    const opts = props(OPTIONS[f.name] ?? '') ?? new Set<string>();
    for (const p of f.params.filter((q) => q.type.endsWith('?'))) {
      if (!opts.has(jsName(p))) problems.push(`${OPTIONS[f.name] ?? f.name + ' options'} lacks ${jsName(p)} (node/src/${f.namespace}.ts)`);
    }
  }
  assert.deepEqual(problems, []);
});
