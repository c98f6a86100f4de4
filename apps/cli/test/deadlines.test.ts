import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { motcua, tempDir } from './run.js';

describe('motcua due', () => {
  it('computes the appointment before Tết 2026 with the days skipped', () => {
    const r = motcua('due', '--received', '2026-02-13T10:00:00+07:00', '--limit', '3d', '--json');
    expect(r.code).toBe(0);
    const out = r.json();
    expect(out).toMatchObject({
      receivedAt: '2026-02-13T10:00:00+07:00',
      countedFrom: '2026-02-13T10:00:00+07:00',
      appointment: '2026-02-25T10:00:00+07:00',
      ruleSet: 'decree-118-2025',
      provisional: false,
    });
    expect(
      out.explanation
        .filter((s: { code: string }) => s.code === 'skipped')
        .map((s: { from: string; to: string }) => `${s.from}..${s.to}`),
    ).toEqual(['2026-02-14..2026-02-15', '2026-02-16..2026-02-20', '2026-02-21..2026-02-22']);
  });

  it('takes every limit form, a policy and a unit calendar', () => {
    const j = (...a: string[]) =>
      motcua('due', '--received', '2026-03-02T15:30:00+07:00', ...a, '--json').json().appointment;
    expect(j('--limit', 'same-day@15:00')).toBe('2026-03-03T17:00:00+07:00');
    expect(j('--limit', 'same-day')).toBe('2026-03-02T17:00:00+07:00');
    expect(j('--limit', '4h')).toBe('2026-03-03T10:00:00+07:00');
    expect(j('--limit', '10cd')).toBe('2026-03-12T17:00:00+07:00');
    expect(j('--limit', 'immediate')).toBe('2026-03-02T15:30:00+07:00');
    expect(j('--limit', '3d', '--policy', 'counting=endOfNthDay')).toBe('2026-03-05T17:00:00+07:00');
    expect(j('--limit-json', '{"unit":"workingDays","value":1}')).toBe('2026-03-03T15:30:00+07:00');
    const dir = tempDir();
    const cal = join(dir, 'calendar.json');
    writeFileSync(
      cal,
      JSON.stringify({ closures: [{ date: '2026-03-03', reason: { vi: 'Bão', en: 'Typhoon' } }] }),
    );
    expect(j('--limit', '1d', '--calendar', cal)).toBe('2026-03-04T15:30:00+07:00');
  });

  it('bad limits, instants and policies exit 2 naming the problem', () => {
    const a = motcua('due', '--received', '2026-03-02T15:30:00+07:00', '--limit', '3 weeks');
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/"3 weeks" is not a limit/);
    const b = motcua('due', '--received', '2026-03-02T15:30:00', '--limit', '3d', '--json');
    expect(b.code).toBe(2);
    expect(JSON.parse(b.stderr).error.code).toBe('calendar.instant_offset');
    expect(
      motcua('due', '--received', '2026-03-02T15:30:00+07:00', '--limit', '3d', '--policy', 'counting=fast')
        .code,
    ).toBe(2);
    expect(motcua('due', '--limit', '3d').code).toBe(2);
  });
});

describe('motcua status', () => {
  it('replays an events file at an instant', () => {
    const dir = tempDir();
    const file = join(dir, 'dossier.json');
    writeFileSync(
      file,
      JSON.stringify({
        limit: { unit: 'workingDays', value: 3 },
        events: [
          { type: 'received', at: '2026-03-02T08:00:00+07:00', channel: 'direct' },
          { type: 'resolved', at: '2026-03-06T09:00:00+07:00' },
        ],
      }),
    );
    const mid = motcua('status', file, '--at', '2026-03-04T09:00:00+07:00', '--json').json();
    expect(mid).toMatchObject({
      phase: 'inProgress',
      overdue: false,
      remainingMinutes: 420,
      appointment: { current: '2026-03-05T08:00:00+07:00' },
    });
    expect(mid.warnings.map((w: { code: string }) => w.code)).toContain('apologyDue');
    const end = motcua('status', file, '--json').json();
    expect(end).toMatchObject({ phase: 'resolved', classification: 'late' });
    expect(motcua('status', file, '--lang', 'en').stdout).toContain('Phase: resolved — late');
    // For scripts: exit 1 when overdue, only when asked.
    const late = motcua('status', file, '--at', '2026-03-05T09:00:00+07:00', '--fail-if-overdue', '--json');
    expect(late.json().overdue).toBe(true);
    expect(late.code).toBe(1);
    expect(motcua('status', file, '--at', '2026-03-05T09:00:00+07:00', '--json').code).toBe(0);
    expect(motcua('status', file, '--at', '2026-03-04T09:00:00+07:00', '--fail-if-overdue').code).toBe(0);
  });

  it('an illegal sequence exits 2 naming the event and the rule', () => {
    const dir = tempDir();
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify([
        { type: 'received', at: '2026-03-02T08:00:00+07:00', channel: 'direct' },
        { type: 'supplementReceived', at: '2026-03-02T09:00:00+07:00' },
      ]),
    );
    const r = motcua('status', file, '--limit', '3d');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Event #1: supplement received but none was requested/);
  });
});

describe('motcua report', () => {
  it('reports a CSV export and writes CSV, JSON and XLSX', () => {
    const dir = tempDir();
    const file = join(dir, 'dossiers.csv');
    writeFileSync(
      file,
      'dossierCode,procedureCode,unitCode,channel,receivedAt,appointmentAt,resolvedAt,status,paid,paidOnline\n' +
        'A-260302-0001,2.000815,26734,online,2026-03-02T08:00:00+07:00,2026-03-05T08:00:00+07:00,2026-03-04T08:00:00+07:00,resolved,true,true\n' +
        'A-260302-0002,2.000815,26734,direct,2026-03-02T08:00:00+07:00,2026-03-05T08:00:00+07:00,2026-03-06T08:00:00+07:00,resolved,true,false\n' +
        'A-260302-0003,1.001193,26737,direct,2026-03-02T08:00:00+07:00,2026-03-20T08:00:00+07:00,,inProgress,false,false\n',
    );
    const out = join(dir, 'report.xlsx');
    const r = motcua(
      'report',
      file,
      '--from',
      '2026-03-01',
      '--to',
      '2026-03-31',
      '--group-by',
      'unit',
      '--out',
      out,
      '--json',
    );
    expect(r.code).toBe(0);
    const s = r.json();
    expect(s.total).toMatchObject({
      handled: 3,
      resolved: { early: 1, late: 1 },
      inProgress: { overdue: 1 },
    });
    expect(s.total.indicators.onlinePaymentShare.rate).toBe(0.5);
    expect(Object.keys(s.groups)).toEqual(['26734', '26737']);
    const csv = join(dir, 'report.csv');
    expect(motcua('report', file, '--from', '2026-03-01', '--to', '2026-03-31', '--out', csv).code).toBe(0);
    expect(
      motcua('report', out.replace('.xlsx', '.txt'), '--from', '2026-03-01', '--to', '2026-03-31').code,
    ).toBe(3);
  });
});

describe('motcua lunar and calendar', () => {
  it('converts both ways', () => {
    expect(motcua('lunar', '2026-02-17', '--json').json().lunar).toEqual({
      year: 2026,
      month: 1,
      day: 1,
      leap: false,
    });
    expect(motcua('lunar', '--to-solar', '2026-03-10').stdout.trim()).toBe('2026-04-26');
    expect(motcua('lunar', '2026-02-30').code).toBe(2);
  });
  it('lists 2026 with sources, and answers is-working', () => {
    const y = motcua('calendar', '2026', '--json').json();
    expect(y.workingWeekends.map((w: { date: string }) => w.date)).toEqual(['2026-01-10', '2026-08-22']);
    expect(y.daysOff.find((d: { date: string }) => d.date === '2026-04-27')).toMatchObject({
      kind: 'compensatory',
    });
    expect(motcua('calendar', 'is-working', '2026-01-10', '--json').json().working).toBe(true);
    expect(motcua('calendar', 'is-working', '2026-02-17T09:00:00+07:00', '--json').json().working).toBe(
      false,
    );
  });
});

describe('motcua completion', () => {
  it('prints a completion script', () => {
    const r = motcua('completion');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('motcua');
  });
});
