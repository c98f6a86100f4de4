import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { codeOf } from '../../test/code-of.js';
import { MotcuaError, parseWith, safeParseWith, ValidationError } from '../errors.js';
import { DossierSchema } from './dossier.js';
import { DossierEventSchema, PASSIVE_EVENT_TYPES } from './events.js';
import { FeeScheduleSchema } from './fees.js';
import { ProcedureLimitSchema } from './limits.js';
import { ApplicantSchema } from './person.js';
import { InstantSchema } from './primitives.js';
import { ProcedureSchema } from './procedure.js';
import {
  DOSSIER_RECORD_CSV_COLUMNS,
  DossierRecordSchema,
  dossierRecordFromCsv,
  dossierRecordToCsvRow,
} from './record.js';

export const sampleDossier = {
  code: '000.00.19.H57-260213-0001',
  procedureCode: '2.000815',
  unit: { level: 'commune', code: '05152', on: '2026-02-13' },
  channel: 'direct',
  applicant: {
    kind: 'person',
    person: { fullName: 'Nguyễn Văn A', personalId: '001090000001', phone: '0912345678' },
  },
  receivedAt: '2026-02-13T10:00:00+07:00',
  appointment: '2026-02-13T17:00:00+07:00',
  events: [
    { type: 'received', at: '2026-02-13T10:00:00+07:00', channel: 'direct', officer: { id: 'officer-1' } },
    { type: 'paid', at: '2026-02-13T10:05:00+07:00', amount: 6000, method: 'counter' },
    { type: 'signed', at: '2026-02-13T14:00:00+07:00', signer: { id: 'chairman' } },
    { type: 'resolved', at: '2026-02-13T14:05:00+07:00' },
    { type: 'returned', at: '2026-02-13T15:00:00+07:00' },
  ],
};

describe('instants and dates', () => {
  it('require an offset', () => {
    expect(InstantSchema.safeParse('2026-02-13T10:00:00+07:00').success).toBe(true);
    expect(InstantSchema.safeParse('2026-02-13T03:00:00Z').success).toBe(true);
    expect(codeOf(() => parseWith(InstantSchema, '2026-02-13T10:00:00'))).toBe('instant.format');
    expect(codeOf(() => parseWith(InstantSchema, '2026-02-30T10:00:00+07:00'))).toBe('instant.format');
  });
});

describe('ProcedureLimit', () => {
  it('accepts each unit with cut-off and verification alternative', () => {
    for (const limit of [
      { unit: 'workingDays', value: 3 },
      { unit: 'workingHours', value: 4 },
      { unit: 'calendarDays', value: 10 },
      { unit: 'months', value: 1 },
      { unit: 'sameDay', cutoff: '15:00' },
      { unit: 'immediate' },
      { unit: 'sameDay', cutoff: '15:00', onVerification: { unit: 'workingDays', value: 5 } },
    ]) {
      expect(ProcedureLimitSchema.parse(limit)).toEqual(limit);
    }
  });

  it('rejects bad values with a path and a rule', () => {
    const r = safeParseWith(ProcedureLimitSchema, { unit: 'workingDays', value: 0 });
    expect(r.ok).toBe(false);
    expect(codeOf(() => parseWith(ProcedureLimitSchema, { unit: 'sameDay', cutoff: '25:00' }))).toBe(
      'time.format',
    );
    expect(ProcedureLimitSchema.safeParse({ unit: 'fortnights', value: 1 }).success).toBe(false);
  });
});

describe('FeeSchedule', () => {
  const copy = {
    id: 'copy',
    kind: 'fee',
    name: { vi: 'Phí chứng thực bản sao từ bản chính' },
    basis: 'perPage',
    tiers: [
      { from: 1, to: 2, amount: 2000 },
      { from: 3, amount: 1000 },
    ],
    capPerCopy: 200_000,
    effectiveFrom: '2017-01-01',
    legalBasis: 'TT 226/2016/TT-BTC Art. 4',
  };
  it('accepts tiers and caps and fills defaults', () => {
    expect(FeeScheduleSchema.parse({ items: [copy] })).toEqual({
      currency: 'VND',
      items: [copy],
      reliefs: [],
    });
  });
  it('names the broken rule', () => {
    expect(
      codeOf(() => parseWith(FeeScheduleSchema, { items: [{ ...copy, tiers: [{ from: 2, amount: 1 }] }] })),
    ).toBe('fee.tiers_gap');
    expect(codeOf(() => parseWith(FeeScheduleSchema, { items: [{ ...copy, tiers: undefined }] }))).toBe(
      'fee.amount_missing',
    );
    expect(
      codeOf(() => parseWith(FeeScheduleSchema, { items: [{ ...copy, effectiveTo: '2016-01-01' }] })),
    ).toBe('fee.effective_range');
    expect(
      codeOf(() => parseWith(FeeScheduleSchema, { items: [{ ...copy, tiers: [{ from: 1, amount: 1.5 }] }] })),
    ).toBe('money.integer');
    expect(codeOf(() => parseWith(FeeScheduleSchema, { items: [{ ...copy, legalBasis: '' }] }))).toBe(
      'fee.legal_basis',
    );
  });
});

describe('Applicant and Person', () => {
  it('validate identifiers with their own rules', () => {
    const bad = { kind: 'person', person: { fullName: 'Nguyễn Văn A', personalId: '003090000001' } };
    const r = safeParseWith(ApplicantSchema, bad);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.issues[0]).toMatchObject({
        path: ['person', 'personalId'],
        code: 'personal_id.province_unknown',
      });
      expect(r.error.message).not.toContain('003090000001');
    }
    expect(
      codeOf(() =>
        parseWith(ApplicantSchema, {
          kind: 'organization',
          organization: { name: 'HTX', taxCode: '0100233480' },
          representative: { fullName: 'B' },
        }),
      ),
    ).toBe('tax_code.checksum');
  });
});

describe('DossierEvent', () => {
  it('is a discriminated union on type, with passive types marked', () => {
    for (const e of sampleDossier.events) expect(DossierEventSchema.parse(e).type).toBe(e.type);
    expect(PASSIVE_EVENT_TYPES.has('paid')).toBe(true);
    expect(PASSIVE_EVENT_TYPES.has('resolved')).toBe(false);
    expect(
      DossierEventSchema.safeParse({ type: 'teleported', at: '2026-02-13T10:00:00+07:00' }).success,
    ).toBe(false);
    expect(
      codeOf(() =>
        parseWith(DossierEventSchema, {
          type: 'supplementRequested',
          at: '2026-02-13T10:00:00+07:00',
          reasons: [],
        }),
      ),
    ).toBe('event.supplement_reasons');
  });
});

describe('Dossier', () => {
  it('validates a whole dossier', () => {
    expect(DossierSchema.parse(sampleDossier).events).toHaveLength(5);
  });
  it('wants received first', () => {
    const d = { ...sampleDossier, events: sampleDossier.events.slice(1) };
    expect(codeOf(() => parseWith(DossierSchema, d))).toBe('dossier.first_event');
  });
  it('exports to JSON Schema', () => {
    const schema = z.toJSONSchema(DossierSchema, { unrepresentable: 'any' }) as {
      type: string;
      required: string[];
    };
    expect(schema.type).toBe('object');
    expect(schema.required).toContain('events');
    expect(z.toJSONSchema(ProcedureSchema, { unrepresentable: 'any' })).toHaveProperty('properties.limit');
  });
});

describe('DossierRecord CSV', () => {
  it('round-trips through CSV cells', () => {
    const record = DossierRecordSchema.parse({
      dossierCode: sampleDossier.code,
      procedureCode: '2.000815',
      unitCode: '05152',
      channel: 'direct',
      receivedAt: '2026-02-13T10:00:00+07:00',
      appointmentAt: '2026-02-13T17:00:00+07:00',
      resolvedAt: '2026-02-13T14:05:00+07:00',
      status: 'resolved',
      paid: true,
      dueAt: '2026-02-13T17:00:00+07:00',
      limit: { unit: 'sameDay', cutoff: '15:00' },
    });
    const cells = dossierRecordToCsvRow(record);
    const row = Object.fromEntries(DOSSIER_RECORD_CSV_COLUMNS.map((c, i) => [c, cells[i]!]));
    expect(dossierRecordFromCsv(row)).toEqual(record);
  });
  it('names the bad column', () => {
    const r = (() => {
      try {
        dossierRecordFromCsv({
          dossierCode: 'x',
          procedureCode: 'p',
          unitCode: 'u',
          channel: 'fax',
          receivedAt: '2026-01-01T00:00:00+07:00',
          status: 'resolved',
        });
      } catch (e) {
        return e;
      }
    })();
    expect(r).toBeInstanceOf(ValidationError);
    expect((r as ValidationError).issues[0]?.path).toEqual(['channel']);
  });
});

describe('errors', () => {
  it('ValidationError is a MotcuaError with a stable code and bilingual messages', () => {
    const r = safeParseWith(ProcedureLimitSchema, { unit: 'workingDays', value: 'three' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toBeInstanceOf(MotcuaError);
      expect(r.error.code).toBe('validation_failed');
      const issue = r.error.issues[0]!;
      expect(issue.path).toEqual(['value']);
      expect(issue.message.vi).not.toBe(issue.message.en);
      expect(JSON.parse(JSON.stringify(r.error))).toMatchObject({
        code: 'validation_failed',
        details: { codes: [issue.code] },
      });
    }
  });
});
