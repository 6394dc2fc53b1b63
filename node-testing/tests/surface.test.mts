// The Node test server against the crate's description of its surface
// (tests/testing-surface.json), through the TypeScript checker on the shipped
// .d.ts, by docs/SURFACE.md's rules: camelCase, durations in milliseconds
// named `...Ms`, optional parameters in one options object.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import ts from 'typescript';

interface Param { name: string; type: string }
interface Member { name: string; property: boolean; params: Param[]; returns: string }
interface Surface { start_options: Param[]; members: Member[]; webhooks: Member[]; captured_webhook: Param[] }

const PKG = fileURLToPath(new URL('../../', import.meta.url));
const surface = JSON.parse(readFileSync(join(PKG, '..', 'tests', 'testing-surface.json'), 'utf8')) as Surface;
const camel = (s: string): string => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const jsName = (p: Param): string => (p.type.startsWith('duration') ? `${camel(p.name)}Ms` : camel(p.name));
const optional = (p: Param): boolean => p.type.endsWith('?');

const program = ts.createProgram([join(PKG, 'lib/index.d.ts')], { strict: true, types: [] });
const checker = program.getTypeChecker();
const entry = program.getSourceFile(join(PKG, 'lib/index.d.ts'));
assert.ok(entry, 'lib/index.d.ts: build the package first (scripts/node-env.sh)');
const exported = new Map(checker.getExportsOfModule(checker.getSymbolAtLocation(entry)!).map((s) => [s.name, s] as const));

function typeOf(name: string): ts.Type {
  const sym = exported.get(name);
  assert.ok(sym, `${name} is not exported`);
  return checker.getDeclaredTypeOfSymbol(sym);
}

function propNames(t: ts.Type): string[] {
  return checker.getPropertiesOfType(checker.getNonNullableType(t)).map((p) => p.name);
}

/** Each member: a getter or method with the described parameters; the optional ones in a last `options` object. */
function checkMembers(cls: string, members: Member[]): void {
  const t = typeOf(cls);
  for (const m of members) {
    const prop = t.getProperty(camel(m.name));
    assert.ok(prop, `${cls}.${camel(m.name)} is missing`);
    const decl = prop.declarations![0];
    if (m.property) {
      assert.ok(ts.isGetAccessorDeclaration(decl) || ts.isPropertyDeclaration(decl), `${cls}.${camel(m.name)}: a property`);
      continue;
    }
    assert.ok(ts.isMethodDeclaration(decl), `${cls}.${camel(m.name)}: a method`);
    const params = decl.parameters.map((p) => p.name.getText());
    const required = m.params.filter((p) => !optional(p)).map(jsName);
    const options = m.params.filter(optional).map(jsName);
    assert.deepEqual(params.slice(0, required.length), required, `${cls}.${camel(m.name)}: the required parameters`);
    if (options.length > 0) {
      assert.equal(params.length, required.length + 1, `${cls}.${camel(m.name)}: the optional ones in one options object`);
      const last = decl.parameters[required.length];
      assert.ok(last.questionToken, `${cls}.${camel(m.name)}: the options object is optional`);
      const names = propNames(checker.getTypeAtLocation(last));
      for (const o of options) assert.ok(names.includes(o), `${cls}.${camel(m.name)}: options.${o} is missing`);
    } else {
      assert.equal(params.length, required.length, `${cls}.${camel(m.name)}: no other parameters`);
    }
  }
}

test('the server', () => checkMembers('TestServer', surface.members));
test('its webhooks', () => checkMembers('Webhooks', surface.webhooks));

test('the start options', () => {
  const names = propNames(typeOf('TestServerOptions'));
  for (const o of surface.start_options) assert.ok(names.includes(jsName(o)), `TestServerOptions.${jsName(o)} is missing`);
  assert.ok(exported.has('startTestServer'), 'startTestServer is not exported');
});

test('a captured webhook', () => {
  const names = propNames(typeOf('CapturedWebhook'));
  for (const f of surface.captured_webhook) assert.ok(names.includes(jsName(f)), `CapturedWebhook.${jsName(f)} is missing`);
});
