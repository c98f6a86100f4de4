// Checks the project standard "public API gets TSDoc with an example": every function and class that the
// documented entry points export (typedoc.json: src/index.ts, src/node.ts, src/testing.ts of each package)
// must carry an `@example` block tag with something in it. It converts the packages with TypeDoc and the
// repository's typedoc.json (no HTML is rendered), writes TypeDoc's JSON output to a temporary file and reads
// that. Methods, interfaces, types and constants are not checked. Exit code 1 lists the ones without one.
// Usage: node scripts/check-tsdoc-examples.mjs
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Application, ReflectionKind } from 'typedoc';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);

const dir = mkdtempSync(join(tmpdir(), 'motcua-tsdoc-'));
const jsonFile = join(dir, 'api.json');
let json;
try {
  // Reads typedoc.json from the repository root. Type errors and warnings are `typedoc --emit none`'s
  // business, not this check's.
  const app = await Application.bootstrapWithPlugins({ logLevel: 'Error', skipErrorChecking: true });
  const project = await app.convert();
  if (project) {
    await app.generateJson(project, jsonFile);
    json = JSON.parse(readFileSync(jsonFile, 'utf8'));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (!json) {
  console.log('tsdoc examples: TypeDoc could not convert the packages (run `npx typedoc --emit none`)');
  process.exit(1);
}

const hasExample = (comment) =>
  (comment?.blockTags ?? []).some(
    (t) => t.tag === '@example' && t.content.some((part) => part.text.trim() !== ''),
  );

const checked = [];
const missing = [];
/** Walks packages, modules and namespaces; functions and classes are checked, not what is inside them. */
function walk(node, path) {
  for (const child of node.children ?? []) {
    const name = [...path, child.name];
    if (child.kind === ReflectionKind.Function || child.kind === ReflectionKind.Class) {
      checked.push(name);
      const comments = [child.comment, ...(child.signatures ?? []).map((s) => s.comment)];
      if (!comments.some(hasExample))
        missing.push(`${child.kind === ReflectionKind.Class ? 'class' : 'function'} ${name.join(' › ')}`);
    } else if (
      child.kind === ReflectionKind.Project ||
      child.kind === ReflectionKind.Module ||
      child.kind === ReflectionKind.Namespace
    ) {
      walk(child, name);
    }
  }
}
walk(json, []);

if (checked.length === 0) {
  console.log('tsdoc examples: TypeDoc found no functions or classes; is typedoc.json right?');
  process.exit(1);
}
console.log(`tsdoc examples: ${checked.length} functions and classes, ${missing.length} without an example`);
if (missing.length > 0) {
  for (const m of missing) console.log(`  ${m}`);
  console.log('Add an `@example` block (```ts … ```) to the TSDoc of each: the project standard.');
  process.exitCode = 1;
}
