import { createWorkCalendar, defaultWorkCalendar } from '@motcua/calendar';
import { describe, expect, it } from 'vitest';
import { computeAppointment } from './appointment.js';
import { DeadlineError } from './errors.js';

const D3 = { unit: 'workingDays', value: 3 } as const;

describe('computeAppointment: worked cases (each cites its rule)', () => {
  it.each([
    // [case, receivedAt, limit, channel, countedFrom, appointment]
    [
      'Art. 17.3: received Monday 10:00, 3 working days → Thursday 10:00',
      '2026-03-02T10:00:00+07:00',
      D3,
      'direct',
      '2026-03-02T10:00:00+07:00',
      '2026-03-05T10:00:00+07:00',
    ],
    [
      'Art. 17.3: received after hours → counts from the next working start; ends at a close, 17:00',
      '2026-03-02T17:30:00+07:00',
      D3,
      'direct',
      '2026-03-03T07:30:00+07:00',
      '2026-03-05T17:00:00+07:00',
    ],
    [
      'Art. 17.3 + practice: online on Friday night → Monday 07:30',
      '2026-03-06T22:00:00+07:00',
      D3,
      'online',
      '2026-03-09T07:30:00+07:00',
      '2026-03-11T17:00:00+07:00',
    ],
    [
      'Tết 2026 (TB 9441/TB-BNV): last working day before Tết, 16-20 Feb skipped',
      '2026-02-13T10:00:00+07:00',
      D3,
      'direct',
      '2026-02-13T10:00:00+07:00',
      '2026-02-25T10:00:00+07:00',
    ],
    [
      'New Year 2026 (12729/VPCP-KGVX): 1-2 Jan off',
      '2025-12-31T14:00:00+07:00',
      { unit: 'workingDays', value: 2 },
      'direct',
      '2025-12-31T14:00:00+07:00',
      '2026-01-06T14:00:00+07:00',
    ],
    [
      'swapped Saturday 10 Jan 2026 is a working day',
      '2026-01-09T14:00:00+07:00',
      { unit: 'workingDays', value: 1 },
      'direct',
      '2026-01-09T14:00:00+07:00',
      '2026-01-10T14:00:00+07:00',
    ],
    [
      'received on the swapped Saturday itself',
      '2026-01-10T09:00:00+07:00',
      { unit: 'workingDays', value: 1 },
      'direct',
      '2026-01-10T09:00:00+07:00',
      '2026-01-12T09:00:00+07:00',
    ],
    [
      '30/4-1/5 2025 (TB 6150/TB-BLĐTBXH): 30 Apr - 4 May off',
      '2025-04-29T10:00:00+07:00',
      { unit: 'workingDays', value: 2 },
      'direct',
      '2025-04-29T10:00:00+07:00',
      '2025-05-06T10:00:00+07:00',
    ],
    [
      '30/4 2025: Saturday 26 April worked',
      '2025-04-25T10:00:00+07:00',
      D3,
      'direct',
      '2025-04-25T10:00:00+07:00',
      '2025-04-29T10:00:00+07:00',
    ],
    [
      '2/9 2025: 30 Aug - 2 Sep off',
      '2025-08-29T10:00:00+07:00',
      { unit: 'workingDays', value: 1 },
      'direct',
      '2025-08-29T10:00:00+07:00',
      '2025-09-03T10:00:00+07:00',
    ],
    [
      '2/9 2026: Saturday 22 Aug worked',
      '2026-08-21T10:00:00+07:00',
      { unit: 'workingDays', value: 1 },
      'direct',
      '2026-08-21T10:00:00+07:00',
      '2026-08-22T10:00:00+07:00',
    ],
    [
      '2/9 2026: 31 Aug - 2 Sep off',
      '2026-08-28T10:00:00+07:00',
      { unit: 'workingDays', value: 1 },
      'direct',
      '2026-08-28T10:00:00+07:00',
      '2026-09-03T10:00:00+07:00',
    ],
    [
      'same day before 15:00 (Decree 23/2015 Art. 7) → 17:00 that day',
      '2026-03-02T14:59:00+07:00',
      { unit: 'sameDay', cutoff: '15:00' },
      'direct',
      '2026-03-02T14:59:00+07:00',
      '2026-03-02T17:00:00+07:00',
    ],
    [
      'same day at 15:00 exactly is not after 15:00',
      '2026-03-02T15:00:00+07:00',
      { unit: 'sameDay', cutoff: '15:00' },
      'direct',
      '2026-03-02T15:00:00+07:00',
      '2026-03-02T17:00:00+07:00',
    ],
    [
      'same day after 15:00 (Art. 18.2) → end of the next working day',
      '2026-03-02T15:01:00+07:00',
      { unit: 'sameDay', cutoff: '15:00' },
      'direct',
      '2026-03-03T07:30:00+07:00',
      '2026-03-03T17:00:00+07:00',
    ],
    [
      'same day after 15:00 on the eve of 30/4 2026 → Monday 4 May',
      '2026-04-29T16:00:00+07:00',
      { unit: 'sameDay', cutoff: '15:00' },
      'direct',
      '2026-05-04T07:30:00+07:00',
      '2026-05-04T17:00:00+07:00',
    ],
    [
      'working hours: 4 h from Monday 15:00 → Tuesday 09:30',
      '2026-03-02T15:00:00+07:00',
      { unit: 'workingHours', value: 4 },
      'direct',
      '2026-03-02T15:00:00+07:00',
      '2026-03-03T09:30:00+07:00',
    ],
    [
      'calendar days (Civil Code Art. 147-148): 10 days from 13 Feb 2026 ends 23 Feb',
      '2026-02-13T10:00:00+07:00',
      { unit: 'calendarDays', value: 10 },
      'direct',
      '2026-02-13T10:00:00+07:00',
      '2026-02-23T17:00:00+07:00',
    ],
    [
      'calendar days: a last day in Tết moves to the next working day',
      '2026-02-10T10:00:00+07:00',
      { unit: 'calendarDays', value: 7 },
      'direct',
      '2026-02-10T10:00:00+07:00',
      '2026-02-23T17:00:00+07:00',
    ],
    [
      'months (Civil Code Art. 147): 30 Jan + 1 month → 28 Feb (no 30 Feb; a Saturday) → Monday 2 Mar',
      '2026-01-30T10:00:00+07:00',
      { unit: 'months', value: 1 },
      'direct',
      '2026-01-30T10:00:00+07:00',
      '2026-03-02T17:00:00+07:00',
    ],
    [
      'immediate, received at lunch → at the afternoon opening',
      '2026-03-02T12:00:00+07:00',
      { unit: 'immediate' },
      'direct',
      '2026-03-02T13:00:00+07:00',
      '2026-03-02T13:00:00+07:00',
    ],
  ] as const)('%s', (_name, receivedAt, limit, channel, countedFrom, appointment) => {
    const r = computeAppointment({ receivedAt, limit, channel });
    expect(r.countedFrom).toBe(countedFrom);
    expect(r.appointment).toBe(appointment);
  });

  it('a limit ending exactly at a close is due at that close, not at the next opening', () => {
    expect(
      computeAppointment({
        receivedAt: '2026-03-02T07:30:00+07:00',
        limit: { unit: 'workingDays', value: 1 },
      }).appointment,
    ).toBe('2026-03-02T17:00:00+07:00');
    expect(
      computeAppointment({
        receivedAt: '2026-03-02T07:30:00+07:00',
        limit: { unit: 'workingHours', value: 4 },
      }).appointment,
    ).toBe('2026-03-02T11:30:00+07:00');
  });

  it('explains Tết with its source, readable to a citizen', () => {
    const r = computeAppointment({ receivedAt: '2026-02-13T10:00:00+07:00', limit: D3, channel: 'direct' });
    const skipped = r.explanation.filter((s) => s.code === 'skipped');
    const tet = skipped.find((s) => s.from === '2026-02-16');
    expect(tet?.to).toBe('2026-02-20');
    expect(tet?.source).toMatch(/9441/);
    expect(skipped.map((s) => [s.from, s.to])).toEqual([
      ['2026-02-14', '2026-02-15'],
      ['2026-02-16', '2026-02-20'],
      ['2026-02-21', '2026-02-22'],
    ]);
    expect(r.explanation[0]?.code).toBe('received');
    expect(r.explanation.at(-1)?.code).toBe('appointment');
    expect(r.explanation.at(-1)?.message.vi).toContain('25/02/2026');
    expect(r.provisional).toBe(false);
    expect(JSON.parse(JSON.stringify(r)).explanation.length).toBe(r.explanation.length);
  });

  it('explains a move after the cut-off and outside hours', () => {
    const a = computeAppointment({
      receivedAt: '2026-03-02T15:30:00+07:00',
      limit: { unit: 'sameDay', cutoff: '15:00' },
    });
    expect(a.explanation.find((s) => s.code === 'moved')?.message.en).toMatch(/after 15:00/);
    const b = computeAppointment({ receivedAt: '2026-03-07T09:00:00+07:00', limit: D3, channel: 'online' });
    expect(b.explanation.find((s) => s.code === 'moved')?.message.en).toMatch(/day off|weekend/);
  });

  it('marks appointments that depend on a provisional schedule', () => {
    const r = computeAppointment({
      receivedAt: '2027-02-03T10:00:00+07:00',
      limit: { unit: 'workingDays', value: 5 },
    });
    expect(r.provisional).toBe(true);
    expect(r.explanation.some((s) => s.code === 'provisional')).toBe(true);
  });

  it('policy counting=endOfNthDay gives the end of the N-th working day', () => {
    const base = { receivedAt: '2026-03-02T10:00:00+07:00', limit: D3 } as const;
    expect(computeAppointment({ ...base, policy: { counting: 'endOfNthDay' } }).appointment).toBe(
      '2026-03-05T17:00:00+07:00',
    );
    expect(
      computeAppointment({
        receivedAt: '2026-03-02T07:30:00+07:00',
        limit: D3,
        policy: { counting: 'endOfNthDay' },
      }).appointment,
    ).toBe('2026-03-04T17:00:00+07:00');
  });

  it('policy onlineOutsideHours=asReceived keeps the filing time as the start', () => {
    const r = computeAppointment({
      receivedAt: '2026-03-06T22:00:00+07:00',
      limit: { unit: 'calendarDays', value: 3 },
      channel: 'online',
      policy: { onlineOutsideHours: 'asReceived' },
    });
    expect(r.countedFrom).toBe('2026-03-06T22:00:00+07:00');
    expect(r.appointment).toBe('2026-03-09T17:00:00+07:00');
    const d = computeAppointment({
      receivedAt: '2026-03-06T22:00:00+07:00',
      limit: { unit: 'calendarDays', value: 3 },
      channel: 'online',
    });
    expect(d.appointment).toBe('2026-03-12T17:00:00+07:00');
  });

  it('policy paperAfterCutoff=always applies 15:00 to every paper dossier, never to online ones', () => {
    const policy = { paperAfterCutoff: 'always' } as const;
    expect(
      computeAppointment({ receivedAt: '2026-03-02T16:00:00+07:00', limit: D3, channel: 'direct', policy })
        .countedFrom,
    ).toBe('2026-03-03T07:30:00+07:00');
    expect(
      computeAppointment({ receivedAt: '2026-03-02T16:00:00+07:00', limit: D3, channel: 'online', policy })
        .countedFrom,
    ).toBe('2026-03-02T16:00:00+07:00');
    expect(
      computeAppointment({ receivedAt: '2026-03-02T16:00:00+07:00', limit: D3, channel: 'direct' })
        .countedFrom,
    ).toBe('2026-03-02T16:00:00+07:00');
  });

  it('applies the verification alternative', () => {
    const limit = {
      unit: 'sameDay',
      cutoff: '15:00',
      onVerification: { unit: 'workingDays', value: 5 },
    } as const;
    expect(
      computeAppointment({ receivedAt: '2026-03-02T10:00:00+07:00', limit, verification: true }).appointment,
    ).toBe('2026-03-09T10:00:00+07:00');
    expect(computeAppointment({ receivedAt: '2026-03-02T10:00:00+07:00', limit }).appointment).toBe(
      '2026-03-02T17:00:00+07:00',
    );
  });

  it('uses the unit calendar: a closure (typhoon) pushes the appointment', () => {
    const cal = createWorkCalendar({
      closures: [{ date: '2026-03-03', reason: { vi: 'Bão số 3', en: 'Typhoon' } }],
    });
    expect(
      computeAppointment({ receivedAt: '2026-03-02T10:00:00+07:00', limit: D3, calendar: cal }).appointment,
    ).toBe('2026-03-06T10:00:00+07:00');
    expect(
      computeAppointment({
        receivedAt: '2026-03-02T10:00:00+07:00',
        limit: D3,
        calendar: defaultWorkCalendar,
      }).appointment,
    ).toBe('2026-03-05T10:00:00+07:00');
  });

  it('versions the rules: Decree 61/2018 before 2025-07-01, an error before any rule', () => {
    expect(computeAppointment({ receivedAt: '2025-06-30T10:00:00+07:00', limit: D3 }).ruleSet).toBe(
      'decree-61-2018',
    );
    expect(computeAppointment({ receivedAt: '2025-07-01T10:00:00+07:00', limit: D3 }).ruleSet).toBe(
      'decree-118-2025',
    );
    expect(() => computeAppointment({ receivedAt: '2018-08-20T10:00:00+07:00', limit: D3 })).toThrow(
      DeadlineError,
    );
  });

  it('rejects bad input naming the field', () => {
    expect(() =>
      computeAppointment({
        receivedAt: '2026-03-02T10:00:00+07:00',
        limit: { unit: 'workingDays', value: 0 },
      }),
    ).toThrow(/limit\.value/);
    expect(() =>
      computeAppointment({
        receivedAt: '2026-03-02T10:00:00+07:00',
        limit: { unit: 'weeks', value: 1 } as never,
      }),
    ).toThrow(/limit\.unit/);
    expect(() => computeAppointment({ receivedAt: '2026-03-02T10:00:00', limit: D3 })).toThrow();
    expect(() =>
      computeAppointment({
        receivedAt: '2026-03-02T10:00:00+07:00',
        limit: D3,
        policy: { counting: 'fast' as never },
      }),
    ).toThrow(/policy/);
  });
});

describe('policy culturalDayMakeUp', () => {
  it('makes up Culture Day on a weekend only when asked (24 Nov 2029 is a Saturday)', () => {
    const base = {
      receivedAt: '2029-11-23T10:00:00+07:00',
      limit: { unit: 'workingDays', value: 1 },
    } as const;
    expect(computeAppointment(base).appointment).toBe('2029-11-26T10:00:00+07:00');
    expect(computeAppointment({ ...base, policy: { culturalDayMakeUp: true } }).appointment).toBe(
      '2029-11-27T10:00:00+07:00',
    );
  });
});

describe('explanation of calendar days and months (Civil Code 2015 Art. 147-148: days off are counted)', () => {
  const codes = (r: { explanation: { code: string }[] }) => r.explanation.map((s) => s.code);

  it('10 calendar days across a weekend and Tết 2026: nothing skipped, the last day named', () => {
    const r = computeAppointment({
      receivedAt: '2026-02-13T10:00:00+07:00',
      limit: { unit: 'calendarDays', value: 10 },
    });
    expect(r.appointment).toBe('2026-02-23T17:00:00+07:00');
    expect(codes(r)).toEqual(['received', 'counted', 'appointment']);
    const counted = r.explanation.find((s) => s.code === 'counted');
    expect(counted).toMatchObject({ from: '2026-02-13', to: '2026-02-23' });
    expect(counted?.source).toMatch(/Điều 147-148/);
    expect(counted?.source).not.toMatch(/counting=/);
    expect(counted?.message.vi).toContain('kể cả ngày nghỉ');
    expect(counted?.message.en).toContain('last day of the limit: Mon 23 Feb 2026');
    for (const s of r.explanation) {
      expect(s.message.vi).not.toMatch(/Không tính|Tết/);
      expect(s.message.en).not.toMatch(/Skipped/);
    }
    expect(r.provisional).toBe(false);
  });

  it('a last day in Tết moves to the next working day, said as such (Art. 148.5)', () => {
    const r = computeAppointment({
      receivedAt: '2026-02-10T10:00:00+07:00',
      limit: { unit: 'calendarDays', value: 7 },
    });
    expect(r.appointment).toBe('2026-02-23T17:00:00+07:00');
    expect(codes(r)).toEqual(['received', 'counted', 'lastDayMoved', 'appointment']);
    expect(r.explanation.find((s) => s.code === 'counted')?.to).toBe('2026-02-17');
    const moved = r.explanation.find((s) => s.code === 'lastDayMoved');
    expect(moved).toMatchObject({ from: '2026-02-17', to: '2026-02-23' });
    expect(moved?.source).toMatch(/Điều 148\.5/);
    expect(moved?.source).toMatch(/9441/);
    expect(moved?.message.vi).toContain('Tết Nguyên đán');
    expect(moved?.message.en).toContain('next working day: Mon 23 Feb 2026');
  });

  it('months: 30 Jan + 1 month → Saturday 28 Feb (weekend) → Monday 2 Mar', () => {
    const r = computeAppointment({
      receivedAt: '2026-01-30T10:00:00+07:00',
      limit: { unit: 'months', value: 1 },
    });
    expect(codes(r)).toEqual(['received', 'counted', 'lastDayMoved', 'appointment']);
    expect(r.explanation.find((s) => s.code === 'lastDayMoved')).toMatchObject({
      from: '2026-02-28',
      to: '2026-03-02',
      source: 'Bộ luật Dân sự 2015 Điều 148.5',
    });
    expect(r.explanation.find((s) => s.code === 'lastDayMoved')?.message.en).toContain('(weekend)');
  });

  it('days off before a moved start are still skipped', () => {
    const r = computeAppointment({
      receivedAt: '2026-03-07T09:00:00+07:00', // Saturday
      limit: { unit: 'calendarDays', value: 3 },
      channel: 'online',
    });
    expect(r.countedFrom).toBe('2026-03-09T07:30:00+07:00');
    expect(codes(r)).toEqual(['received', 'moved', 'counted', 'skipped', 'appointment']);
    expect(r.explanation.find((s) => s.code === 'skipped')).toMatchObject({
      from: '2026-03-07',
      to: '2026-03-08',
    });
    expect(r.explanation.find((s) => s.code === 'counted')?.to).toBe('2026-03-12');
  });

  it('provisional only when a day that sets the appointment is provisional (Tết 2027 has no notice)', () => {
    const across = computeAppointment({
      receivedAt: '2027-02-03T10:00:00+07:00',
      limit: { unit: 'calendarDays', value: 9 },
    });
    expect(across.appointment).toBe('2027-02-12T17:00:00+07:00');
    expect(codes(across)).toEqual(['received', 'counted', 'appointment']);
    expect(across.provisional).toBe(false);
    const into = computeAppointment({
      receivedAt: '2027-02-01T10:00:00+07:00',
      limit: { unit: 'calendarDays', value: 7 },
    });
    expect(into.appointment).toBe('2027-02-12T17:00:00+07:00');
    expect(into.explanation.find((s) => s.code === 'lastDayMoved')).toMatchObject({
      from: '2027-02-08',
      to: '2027-02-12',
    });
    expect(into.provisional).toBe(true);
    expect(codes(into).at(-1)).toBe('provisional');
  });

  it('working days keep their skipped days', () => {
    const r = computeAppointment({ receivedAt: '2026-02-13T10:00:00+07:00', limit: D3 });
    expect(codes(r)).toEqual(['received', 'counted', 'skipped', 'skipped', 'skipped', 'appointment']);
    expect(r.explanation.find((s) => s.code === 'counted')?.to).toBeUndefined();
  });
});
