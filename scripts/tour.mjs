// `npm run tour`: a short tour of the packages, each answering live (`npm start` runs the reference web app).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);

console.log(bold("Motcua: the SDK for Vietnam's commune one-stop centers"));
console.log(
  'The packages, answering live (the terminal: npx motcua --help; the reference web app: npm start):\n',
);

for (const dir of ['packages', 'apps']) {
  let names = [];
  try {
    names = readdirSync(join(root, dir));
  } catch {
    continue;
  }
  for (const name of names.sort()) {
    try {
      const pkg = JSON.parse(readFileSync(join(root, dir, name, 'package.json'), 'utf8'));
      console.log(`  ${bold(pkg.name.padEnd(22))} ${pkg.description ?? ''}`);
    } catch {}
  }
}

const core = await import('@motcua/core');
console.log(`\n${bold('@motcua/core')}`);
const id = core.parsePersonalId('001090000001');
console.log(
  `  parsePersonalId('001090000001') -> province ${id.provinceCode} ${id.provinceName}, ${id.sex}, born ${id.birthYear}`,
);
const tax = core.safeParseTaxCode('0100233480');
console.log(
  `  safeParseTaxCode('0100233480') -> ${tax.ok ? 'valid' : `${tax.error.issues[0].code}: ${tax.error.issues[0].message.vi}`}`,
);
const code = core.formatDossierCode({ agencyCode: '000.00.19.H57', receivedOn: '2025-07-01', sequence: 1 });
console.log(`  formatDossierCode(...) -> ${code}, payment reference ${core.paymentReference(code)}`);

for (const [name, show] of [
  [
    '@motcua/calendar',
    async (m) => `  holidaysOf(2026): ${m.holidaysOf(2026).length} days off for civil servants`,
  ],
  [
    '@motcua/deadlines',
    async (m) => {
      const r = m.computeAppointment({
        receivedAt: '2026-02-13T10:00:00+07:00',
        limit: { unit: 'workingDays', value: 3 },
        channel: 'direct',
      });
      return `  computeAppointment(received Fri 2026-02-13 10:00, 3 working days) -> ${r.appointment}`;
    },
  ],
  [
    '@motcua/units',
    async (m) => {
      const before = m.getUnit('05152', { at: '2025-06-30' });
      const after = m.getUnit('05152', { at: '2025-07-01' });
      const r = m.convertAddress('Xóm Mới, X. Ngổ Luông, H. Tân Lạc, T. Hoà Bình');
      return [
        `  getUnit('05152') on 2025-06-30 -> ${before.fullName}, ${before.districtName}, ${before.provinceName}`,
        `  getUnit('05152') on 2025-07-01 -> ${after.fullName}, ${after.provinceName}`,
        `  convertAddress('Xóm Mới, X. Ngổ Luông, H. Tân Lạc, T. Hoà Bình') -> ${m.formatAddress({ rest: r.rest, communeCode: r.candidates[0].code })}`,
      ].join('\n');
    },
  ],
  [
    '@motcua/procedures',
    async (m) => {
      const c = m.seedCatalogue();
      const p = c.get('2.000815');
      return `  seedCatalogue(): ${c.size} procedures; 2.000815 ${p.name.vi}: ${m.limitText(p.limit)}`;
    },
  ],
]) {
  try {
    const m = await import(name);
    console.log(`\n${bold(name)}\n${await show(m)}`);
  } catch {}
}

console.log(
  `\nRun every check with ${bold('npm test')}; benchmarks with ${bold('npm run bench')}; API docs with ${bold('npm run docs')}.`,
);
