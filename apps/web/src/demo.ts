import type { DossierEvent, ProcedureLimit } from '@motcua/core';
import { seededRandom, syntheticPeople } from '@motcua/core/testing';
import { computeAppointment } from '@motcua/deadlines';
import { seedCatalogue } from '@motcua/procedures';
import type { RoleGrant, Store } from '@motcua/store';
import type { Logger } from './log.js';

/**
 * The demo communes: named in 2025 press reports on the new commune centers (Xã Vân Sơn in Phú Thọ,
 * Xã Hàm Thuận Nam in Lâm Đồng) and one ward (Phường Sài Gòn, Hồ Chí Minh City). Codes from
 * @motcua/units; the agency codes are demo placeholders.
 */
export const DEMO_UNITS = [
  { code: '05152', name: 'Xã Vân Sơn', provinceCode: '25', agencyCode: 'H25.X05152' },
  { code: '23110', name: 'Xã Hàm Thuận Nam', provinceCode: '68', agencyCode: 'H68.X23110' },
  { code: '26740', name: 'Phường Sài Gòn', provinceCode: '79', agencyCode: 'H79.X26740' },
] as const;

/** The demo users' password (demo only: a production start refuses demo users). */
export const DEMO_PASSWORD = 'motcua-demo';

const ROLE_NAMES = {
  receptionist: 'tiepnhan',
  specialist: 'chuyenvien',
  leader: 'lanhdao',
  unitAdmin: 'quantri',
} as const;

/** The demo users: one per role per commune, and a province viewer for Phú Thọ. */
export function demoUsers(): { username: string; fullName: string; roles: RoleGrant[] }[] {
  const users: { username: string; fullName: string; roles: RoleGrant[] }[] = [];
  for (const u of DEMO_UNITS)
    for (const [role, prefix] of Object.entries(ROLE_NAMES) as [keyof typeof ROLE_NAMES, string][])
      users.push({
        username: `${prefix}.${u.code}`,
        fullName: `${{ receptionist: 'Cán bộ tiếp nhận', specialist: 'Chuyên viên', leader: 'Lãnh đạo', unitAdmin: 'Quản trị' }[role]} ${u.name}`,
        roles: [{ role, unitCode: u.code }],
      });
  users.push({
    username: 'tinh.25',
    fullName: 'Cán bộ theo dõi tỉnh Phú Thọ',
    roles: [{ role: 'provinceViewer', provinceCode: '25' }],
  });
  return users;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Seeds the demo (idempotent: does nothing when the demo units exist): three communes with the seed
 * catalogue, a user per role, and `dossiers` dossiers over the last 90 days with a realistic mix (direct
 * and online, some supplemented, some extended, some overdue), every one through the lifecycle rules.
 */
export async function seedDemo(
  store: Store,
  options: { dossiers: number; log: Logger; seed?: number; now?: number },
) {
  if (await store.getUnit(DEMO_UNITS[0].code)) return { seeded: false, dossiers: 0, skipped: 0 };
  const now = options.now ?? Date.now();
  const today = iso(now).slice(0, 10);
  const catalogue = seedCatalogue().at(today);
  for (const u of DEMO_UNITS) {
    await store.upsertUnit({ ...u, calendar: { name: `Lịch làm việc ${u.name}` } });
    await store.upsertProcedures(u.code, catalogue);
  }
  for (const u of demoUsers()) await store.createUser({ ...u, password: DEMO_PASSWORD, demo: true });
  const usable = catalogue.filter((p) => p.limit.unit === 'workingDays' || p.limit.unit === 'sameDay');
  const random = seededRandom(options.seed ?? 2025);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const people = syntheticPeople({ seed: options.seed ?? 2025, fromYear: 1950, toYear: 2006 });
  let made = 0;
  let skipped = 0;
  const started = Date.now();
  for (let i = 0; i < options.dossiers; i++) {
    const unit = pick(DEMO_UNITS);
    const procedure = pick(usable);
    const channel =
      procedure.channels.includes('online') && random() < 0.3
        ? 'online'
        : procedure.channels.includes('postal') && random() < 0.05
          ? 'postal'
          : 'direct';
    // A working-hours instant in the last 90 days (weekends land on Monday).
    const day = new Date(now - Math.floor(random() * 90) * 86_400_000);
    const dow = day.getUTCDay();
    if (dow === 0 || dow === 6) day.setUTCDate(day.getUTCDate() + (dow === 6 ? 2 : 1));
    const hour = 7.5 + random() * 8;
    const receivedMs =
      Date.parse(`${iso(day.getTime()).slice(0, 10)}T00:00:00+07:00`) + Math.round(hour * 60) * 60_000;
    if (receivedMs > now) continue;
    const person = people.next().value;
    const events: DossierEvent[] = [];
    const limit = procedure.limit as ProcedureLimit;
    let appointment: number;
    try {
      appointment = Date.parse(
        computeAppointment({ receivedAt: iso(receivedMs), limit, channel }).appointment,
      );
    } catch {
      skipped++;
      continue;
    }
    let t = receivedMs;
    const at = (ms: number) => iso(Math.min(ms, now - 60_000));
    if (channel === 'online') {
      t += (0.5 + random() * 5) * 3_600_000;
      if (t < now) events.push({ type: 'accepted', at: at(t) });
    }
    const r = random();
    if (t + 3_600_000 < now) {
      t += 3_600_000;
      events.push({
        type: 'transferred',
        at: at(t),
        step: 'Thẩm định',
        to: { id: `chuyenvien.${unit.code}` },
      });
    }
    let end = appointment;
    if (r < 0.1 && t + 86_400_000 < now) {
      t += 3_600_000 * 2;
      events.push({ type: 'supplementRequested', at: at(t), reasons: ['Thiếu bản sao giấy tờ tùy thân'] });
      t += (1 + random() * 4) * 86_400_000;
      if (t < now) {
        events.push({ type: 'supplementReceived', at: at(t) });
        end = Date.parse(computeAppointment({ receivedAt: iso(t), limit, channel: 'direct' }).appointment);
      } else end = Number.POSITIVE_INFINITY;
    } else if (
      r < 0.15 &&
      limit.unit === 'workingDays' &&
      appointment - 2 * 86_400_000 > t &&
      appointment < now
    ) {
      events.push({
        type: 'extended',
        at: at(appointment - 2 * 86_400_000),
        reason: 'Cần xác minh thêm thông tin',
        newAppointment: iso(appointment + 3 * 86_400_000),
        apologyLetter: { issuedAt: at(appointment - 2 * 86_400_000) },
      });
      end = appointment + 3 * 86_400_000;
    }
    // Finish most dossiers whose date has come: on time mostly, some late, a few left overdue.
    if (Number.isFinite(end) && end < now) {
      const f = random();
      const last = Date.parse(events.at(-1)?.at ?? iso(receivedMs));
      if (f < 0.95) {
        const doneAt =
          f < 0.8
            ? Math.max(last + 60_000, end - random() * Math.max(0, end - last) * 0.8)
            : end + (1 + random() * 3) * 86_400_000;
        if (doneAt < now) {
          events.push({ type: 'resolved', at: at(doneAt) });
          if (random() < 0.9 && doneAt + 3_600_000 < now)
            events.push({ type: 'returned', at: at(doneAt + 3_600_000) });
        }
      }
    }
    try {
      await store.createDossier({
        unitCode: unit.code,
        procedure,
        channel,
        applicant: {
          kind: 'person',
          person: {
            fullName: person.fullName,
            personalId: person.personalId,
            dateOfBirth: person.dateOfBirth,
            sex: person.sex,
            phone: person.phone,
          },
        },
        receivedAt: iso(receivedMs),
        actor: null,
        events,
      });
      made++;
    } catch {
      skipped++;
    }
    if ((i + 1) % 500 === 0)
      options.log.info('demo seeding', { dossiers: made, of: options.dossiers, ms: Date.now() - started });
  }
  await store.analyze();
  return { seeded: true, dossiers: made, skipped };
}

/** The demo's State Treasury accounts (synthetic numbers), as `treasuryCode/accountNumber`: the simulator knows these. */
export const DEMO_TREASURY_ACCOUNTS = ['1769/3511.0.9000025', '2711/3511.0.9000068', '0111/3511.1.9026740'];

/** Budget sub-items of the seed catalogue's fee items (Circular 324/2016; carried into 130/2025 unverified). */
const DEMO_SUB_ITEMS = { 'certified-copy': '2716', signature: '2716', 'extract-copy': '2771' };

/**
 * The demo's treasury accounts (synthetic numbers): Phường Sài Gòn collects fees into an account of its
 * own; the communes of Phú Thọ and Lâm Đồng, with none of their own, into the account their province
 * designates. The two communes have their treasury channel configured (a commune chapter, a synthetic
 * collecting agency, the sub-items), so their fees reach the treasury simulator and are remitted when it
 * credits them; the ward is left to remit by hand. Idempotent (run at every demo start; a configuration the
 * unit admin changed is kept).
 */
export async function seedDemoTreasury(store: Store) {
  await store.fees.setProvinceAccount('25', {
    account: '1769/3511.0.9000025',
    holder: 'Sở Tài chính tỉnh Phú Thọ',
  });
  await store.fees.setProvinceAccount('68', {
    account: '2711/3511.0.9000068',
    holder: 'Sở Tài chính tỉnh Lâm Đồng',
  });
  const ward = await store.getUnit('26740');
  if (ward && !ward.treasuryAccount)
    await store.upsertUnit({ ...ward, treasuryAccount: '0111/3511.1.9026740' });
  for (const code of ['05152', '23110']) {
    const t = await store.fees.treasuryConfig(code);
    if (t && !t.configured)
      await store.fees.setTreasuryConfig(
        code,
        { chapter: '805', collectingAgency: `11${code}`, account: null, subItems: DEMO_SUB_ITEMS },
        'demo',
      );
  }
}
