import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, motcua, motcuaWith, tempDir } from './run.js';

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

describe('motcua due --procedure', () => {
  it("takes the procedure's limit from the seed catalogue and says which procedure", () => {
    const r = motcua('due', '--received', '2026-03-02T15:30:00+07:00', '--procedure', '2.000815', '--json');
    expect(r.code).toBe(0);
    const out = r.json();
    expect(out.procedure).toEqual({
      code: '2.000815',
      name: { vi: 'Chứng thực bản sao từ bản chính', en: 'Certified copy from the original' },
      limit: { unit: 'sameDay', cutoff: '15:00', onVerification: { unit: 'workingDays', value: 2 } },
      validFrom: '2025-07-01',
      confidence: 'confirmed',
    });
    // Received after the procedure's 15:00 cut-off: counted from the next working day.
    expect(out.receivedAt).toBe('2026-03-02T15:30:00+07:00');
    expect(out.countedFrom).toBe('2026-03-03T07:30:00+07:00');
    expect(out.appointment).toBe('2026-03-03T17:00:00+07:00');
    expect(out.explanation.map((s: { code: string }) => s.code)).toContain('moved');
    // An unconfirmed limit is said so in the human output.
    const unverified = motcua('due', '--received', '2026-03-02T10:00:00+07:00', '--procedure', '1.004884');
    expect(unverified.stdout.split('\n')[0]).toBe(
      'Thủ tục: 1.004884 Đăng ký lại khai sinh (thời hạn chưa được xác nhận: đối chiếu quyết định công bố của tỉnh)',
    );
  });

  it("a province's catalogue over the seed; an unknown code, a bad catalogue and --limit with it exit 2", () => {
    const dir = tempDir();
    const header =
      'Mã thủ tục,Tên thủ tục,Mã lĩnh vực,Lĩnh vực,Thời hạn giải quyết,Kênh nộp,Dịch vụ công trực tuyến,Căn cứ pháp lý,Hiệu lực từ';
    const catalogue = join(dir, 'province.csv');
    writeFileSync(
      catalogue,
      `\uFEFF${header}\nHN.001,Thủ tục riêng của tỉnh,CT,Chứng thực,5 ngày làm việc,trực tiếp,không,Quyết định 1/2025/QĐ-UBND,2025-07-01\n`,
    );
    const r = motcua(
      'due',
      '--received',
      '2026-03-02T10:00:00+07:00',
      '--procedure',
      'HN.001',
      '--catalogue',
      catalogue,
      '--json',
    ).json();
    expect(r.procedure).toMatchObject({ code: 'HN.001', limit: { unit: 'workingDays', value: 5 } });
    expect(r.appointment).toBe('2026-03-09T10:00:00+07:00');
    const unknown = motcua(
      'due',
      '--received',
      '2026-03-02T10:00:00+07:00',
      '--procedure',
      '9.999999',
      '--json',
    );
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stderr).error.code).toBe('usage.procedure');
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, `${header}\nHN.002,Xấu,CT,Chứng thực,sớm nhất có thể,fax,không,QĐ 1,2025-07-01\n`);
    const b = motcua(
      'due',
      '--received',
      '2026-03-02T10:00:00+07:00',
      '--procedure',
      'HN.002',
      '--catalogue',
      bad,
    );
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(
      /^motcua: --catalogue .*bad\.csv: 2 problem\(s\), the first: row 2, Thời hạn giải quyết: .*\[catalogue\.limit_text\]/,
    );
    expect(
      motcua('due', '--received', '2026-03-02T10:00:00+07:00', '--procedure', '2.000815', '--limit', '3d')
        .code,
    ).toBe(2);
    const none = motcua('due', '--received', '2026-03-02T10:00:00+07:00');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--limit-json or --procedure <code>');
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

  it('a malformed events file is named with the event and field at fault, not "Invalid input"', () => {
    const dir = tempDir();
    const file = join(dir, 'events.json');
    writeFileSync(
      file,
      JSON.stringify({
        limit: { unit: 'workingDays', value: 3 },
        events: [{ type: 'received', at: 'hôm qua' }],
      }),
    );
    const r = motcua('status', file, '--json');
    expect(r.code).toBe(2);
    const e = JSON.parse(r.stderr).error;
    expect(e.code).toBe('validation_failed');
    expect(e.message.startsWith(`${file}: events.0.at: `)).toBe(true);
    expect(e.issues[0].path).toEqual(['events', 0, 'at']);
    const limit = join(dir, 'limit.json');
    writeFileSync(limit, JSON.stringify({ limit: { unit: 'weeks' }, events: [] }));
    expect(motcua('status', limit).stderr).toMatch(new RegExp(`^motcua: ${limit}: limit: unit: `));
  });

  it('says the phase in the language asked', () => {
    const dir = tempDir();
    const file = join(dir, 'events.json');
    writeFileSync(
      file,
      JSON.stringify([{ type: 'received', at: '2026-03-02T08:00:00+07:00', channel: 'direct' }]),
    );
    const vi = motcua('status', file, '--limit', '3d', '--at', '2026-03-10T09:00:00+07:00');
    expect(vi.stdout.split('\n')[0]).toBe('Trạng thái: đang giải quyết (quá hạn)');
    const en = motcua('status', file, '--limit', '3d', '--at', '2026-03-10T09:00:00+07:00', '--lang', 'en');
    expect(en.stdout.split('\n')[0]).toBe('Phase: in progress (overdue)');
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

  it('a date that is not a real date, and an output of another kind, exit 2 before any work', () => {
    const dir = tempDir();
    const file = join(dir, 'dossiers.json');
    writeFileSync(file, '[]');
    for (const bad of ['2026-03-41', '2026-02-30', '03/01/2026']) {
      const r = motcua('report', file, '--from', bad, '--to', '2026-03-31');
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`motcua: --from ${bad}: expected a real date YYYY-MM-DD [usage.date]\n`);
    }
    const out = motcua(
      'report',
      file,
      '--from',
      '2026-03-01',
      '--to',
      '2026-03-31',
      '--out',
      join(dir, 'r.txt'),
    );
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('use a .xlsx, .csv or .json file [usage.out]');
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

  it('is-working judges an instant on its day at +07:00 and says why, in the language asked', () => {
    // 20:00 UTC on 1 March is 03:00 on Monday 2 March in Vietnam: a working day, outside its hours.
    const night = motcua('calendar', 'is-working', '2026-03-01T20:00:00Z', '--json').json();
    expect(night).toMatchObject({
      at: '2026-03-02T03:00:00+07:00',
      working: false,
      day: { date: '2026-03-02', working: true },
    });
    expect(motcua('calendar', 'is-working', '2026-03-01T20:00:00Z').stdout).toBe(
      'không làm việc: ngoài giờ làm việc (07:30–11:30, 13:00–17:00)\n',
    );
    expect(motcua('calendar', 'is-working', '2026-03-07').stdout).toBe('không làm việc: nghỉ cuối tuần\n');
    expect(motcua('calendar', 'is-working', '2026-03-07', '--lang', 'en').stdout).toBe(
      'not working: weekend\n',
    );
    expect(motcua('calendar', 'is-working', '2026-01-10').stdout).toBe(
      'làm việc: làm bù cho ngày 2026-01-02 (07:30–11:30, 13:00–17:00)\n',
    );
  });

  it('a bad --calendar file is named in the error', () => {
    const dir = tempDir();
    const cal = join(dir, 'commune.json');
    writeFileSync(cal, JSON.stringify({ seasons: 5 }));
    const r = motcua('calendar', 'is-working', '2026-03-02', '--calendar', cal);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^motcua: --calendar ${cal}: config\\.seasons: `));
  });
});

describe('motcua completion', () => {
  it('prints a completion script', () => {
    const r = motcua('completion');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('motcua');
  });

  it('prints the script of the shell named, whatever $SHELL is', () => {
    for (const shell of ['/bin/bash', '/bin/zsh']) {
      const bash = motcuaWith({ env: { SHELL: shell } }, 'completion', 'bash');
      expect(bash.code).toBe(0);
      expect(bash.stdout).toContain('complete -o bashdefault -o default -F _motcua_yargs_completions motcua');
      const zsh = motcuaWith({ env: { SHELL: shell } }, 'completion', 'zsh');
      expect(zsh.code).toBe(0);
      expect(zsh.stdout.startsWith('#compdef motcua')).toBe(true);
    }
  });
});

describe('motcua at the edges of a pipe', () => {
  it('--version prints the version', () => {
    expect(motcua('--version').stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('a reader that closes early (| head) ends it quietly, with no stack trace', async () => {
    const child = spawn(process.execPath, [BIN, 'calendar', '2026', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy(); // the reader is gone before anything is written
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
