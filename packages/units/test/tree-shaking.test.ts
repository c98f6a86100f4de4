// An app that imports only `provinces` must not pull in the lineage data: bundle two tiny apps against the
// built package with esbuild and compare. Also reports the gzipped size of each data module.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const pkg = new URL('..', import.meta.url).pathname;

async function bundle(contents: string): Promise<string> {
  const r = await build({
    stdin: { contents, resolveDir: pkg, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    minify: true,
    mainFields: ['module', 'main'],
  });
  return r.outputFiles[0]!.text;
}

describe('tree-shaking', () => {
  it('provinces alone leaves the lineage and the old communes out', async () => {
    const small = await bundle("import { provinces } from '@motcua/units'; console.log(provinces().length);");
    const full = await bundle(
      "import { convertAddress } from '@motcua/units'; console.log(convertAddress('x'));",
    );
    const gz = (s: string) => gzipSync(s).length;
    console.log(
      `bundle gzipped: provinces only ${gz(small).toLocaleString('en')} B; convertAddress ${gz(full).toLocaleString('en')} B`,
    );
    const sizes: Record<string, number> = {};
    for (const name of ['new-units', 'old-units']) {
      const text = readFileSync(new URL(`../src/generated/${name}.ts`, import.meta.url), 'utf8');
      sizes[name] = gz(text);
      console.log(
        `data module ${name}: ${text.length.toLocaleString('en')} B, gzipped ${gz(text).toLocaleString('en')} B`,
      );
    }
    // "Ngổ Luông" exists only as an old commune; "Lineage" kinds only in the lineage module.
    expect(small.includes('Ngổ Luông') || small.includes('Ng\\u1ED5 Lu\\u00F4ng')).toBe(false);
    expect(small.includes('whole_district')).toBe(false);
    expect(full.includes('whole_district')).toBe(true);
    // The difference is (most of) the old-units module.
    expect(gz(full) - gz(small)).toBeGreaterThan(0.8 * sizes['old-units']!);
  });
});
