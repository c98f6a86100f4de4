import type { DossierEvent } from '@motcua/core';
import { describe, expect, it } from 'vitest';
import { LifecycleError } from './errors.js';
import { DossierReplay, replay } from './replay.js';

const D3 = { unit: 'workingDays', value: 3 } as const;
/** The plain JSON form of a report (instants are formatted lazily, on read). */
const plain = (x: unknown) => JSON.parse(JSON.stringify(x));
const T = (s: string) => `2026-03-${s}+07:00`;
const received = (at = T('02T08:00:00'), channel: 'direct' | 'online' = 'direct'): DossierEvent => ({
  type: 'received',
  at,
  channel,
});

function lifecycleCode(events: DossierEvent[], options = { limit: D3 }): [string, number] | undefined {
  try {
    replay(events, options);
  } catch (e) {
    if (e instanceof LifecycleError) return [e.code, e.eventIndex];
    throw e;
  }
  return undefined;
}

describe('replay: the lifecycle rules of Decree 118/2025', () => {
  it('Art. 17.3: in progress within limit, then overdue', () => {
    const events = [received()];
    const s1 = replay(events, { at: T('04T09:00:00'), limit: D3 });
    expect(s1).toMatchObject({
      phase: 'inProgress',
      overdue: false,
      appointment: { original: T('05T08:00:00'), current: T('05T08:00:00') },
    });
    expect(s1.remainingMinutes).toBe(150 + 240 + 30); // Wed 09:00-11:30, 13:00-17:00, Thu 07:30-08:00
    const s2 = replay(events, { at: T('05T09:00:00'), limit: D3 });
    expect(s2.overdue).toBe(true);
    expect(s2.remainingMinutes).toBe(-60);
    expect(s2.warnings.map((w) => w.code)).toContain('apologyMissed');
  });

  it('classification: early before 00:00 of the appointment date, onTime that day by the appointment, late after', () => {
    const cls = (at: string) => replay([received(), { type: 'resolved', at }], { limit: D3 }).classification;
    expect(cls(T('04T23:59:00'))).toBe('early');
    expect(cls(T('05T00:00:00'))).toBe('onTime');
    expect(cls(T('05T08:00:00'))).toBe('onTime');
    expect(cls(T('05T08:01:00'))).toBe('late');
  });

  it('Art. 17.2: an online dossier not officially received within 8 working hours is flagged', () => {
    const events = [received(T('02T08:00:00'), 'online')];
    expect(replay(events, { at: T('03T07:59:00'), limit: D3 }).warnings.map((w) => w.code)).not.toContain(
      'onlineAckOverdue',
    );
    const late = replay(events, { at: T('03T08:31:00'), limit: D3 });
    expect(late.phase).toBe('received');
    expect(late.warnings.find((w) => w.code === 'onlineAckOverdue')?.source).toMatch(/17\.2/);
    const accepted = replay([...events, { type: 'accepted', at: T('03T09:00:00') }], { limit: D3 });
    expect(accepted.phase).toBe('inProgress');
    expect(accepted.warnings.map((w) => w.code)).toContain('onlineAckLate');
  });

  it('Art. 19.5: the limit restarts from zero when the supplement arrives; the index view differs', () => {
    const events: DossierEvent[] = [
      received(),
      { type: 'supplementRequested', at: T('03T09:00:00'), reasons: ['Thiếu bản sao giấy tờ'] },
      { type: 'supplementReceived', at: T('09T10:00:00') },
      { type: 'resolved', at: T('11T16:00:00') },
    ];
    const waiting = replay(events, { at: T('05T10:00:00'), limit: D3 });
    expect(waiting.phase).toBe('waitingSupplement');
    expect(waiting.overdue).toBe(false);
    const s = replay(events, { limit: D3 });
    expect(s.appointment.original).toBe(T('05T08:00:00'));
    expect(s.appointment.current).toBe(T('12T10:00:00'));
    expect(s.countedFrom).toBe(T('09T10:00:00'));
    expect(s.classification).toBe('early');
    expect(s.supplement).toMatchObject({
      requests: 1,
      requestedAt: T('03T09:00:00'),
      receivedAt: T('09T10:00:00'),
    });
  });

  it('Art. 19.5: warns after 15 days without the supplement (closing needs a closed event)', () => {
    const events: DossierEvent[] = [
      received(),
      { type: 'supplementRequested', at: T('02T09:00:00'), reasons: ['x'] },
    ];
    expect(replay(events, { at: T('17T08:59:00'), limit: D3 }).warnings.map((w) => w.code)).not.toContain(
      'supplementOverdue',
    );
    const s = replay(events, { at: T('17T09:00:00'), limit: D3 });
    expect(s.warnings.map((w) => w.code)).toContain('supplementOverdue');
    expect(s.supplement.closeDeadline).toBe(T('17T09:00:00'));
    const w = replay(events, {
      at: T('17T09:00:00'),
      limit: D3,
      policy: { supplementCloseAfter: { value: 15, unit: 'workingDays' } },
    });
    expect(w.warnings.map((x) => x.code)).not.toContain('supplementOverdue');
    const closed = replay([...events, { type: 'closed', at: T('18T09:00:00') }], { limit: D3 });
    expect(closed.phase).toBe('closed');
  });

  it('Art. 11.2.c: a second supplement request is recorded and counts late in the index', () => {
    const s = replay(
      [
        received(),
        { type: 'supplementRequested', at: T('02T09:00:00'), reasons: ['a'] },
        { type: 'supplementReceived', at: T('02T10:00:00') },
        { type: 'supplementRequested', at: T('02T11:00:00'), reasons: ['b'] },
      ],
      { limit: D3 },
    );
    expect(s.supplement.requests).toBe(2);
    expect(s.lateInIndex).toBe(true);
    expect(s.warnings.map((w) => w.code)).toContain('multipleSupplementRequests');
  });

  it('Art. 17.2.a: a supplement request during appraisal after 3 working days is flagged', () => {
    const s = replay([received(), { type: 'supplementRequested', at: T('05T09:00:00'), reasons: ['x'] }], {
      limit: { unit: 'workingDays', value: 10 },
    });
    expect(s.warnings.map((w) => w.code)).toContain('supplementRequestLate');
  });

  it('a pause stops the clock: the appointment moves by the paused working time', () => {
    const s = replay(
      [
        received(),
        { type: 'paused', at: T('03T08:00:00'), reason: 'Chờ nộp tiền sử dụng đất' },
        { type: 'resumed', at: T('04T08:00:00') },
      ],
      { limit: D3 },
    );
    expect(s.appointment.current).toBe(T('06T08:00:00'));
    expect(s.pausedMinutes).toBe(480);
    const paused = replay([received(), { type: 'paused', at: T('03T08:00:00'), reason: 'x' }], {
      at: T('20T08:00:00'),
      limit: D3,
    });
    expect(paused.overdue).toBe(false);
    expect(paused.remainingMinutes).toBe(960);
  });

  it('Art. 19.6: one extension with an apology; judged against the original appointment by default', () => {
    const events: DossierEvent[] = [
      received(),
      {
        type: 'extended',
        at: T('04T07:30:00'),
        newAppointment: T('09T17:00:00'),
        reason: 'Cần xác minh',
        apologyLetter: { issuedAt: T('04T07:30:00') },
      },
      { type: 'resolved', at: T('06T10:00:00') },
    ];
    const s = replay(events, { limit: D3 });
    expect(s.appointment).toMatchObject({
      original: T('05T08:00:00'),
      current: T('09T17:00:00'),
      judgedAgainst: T('05T08:00:00'),
      extended: T('09T17:00:00'),
    });
    expect(s.classification).toBe('late');
    expect(s.warnings.map((w) => w.code)).not.toContain('apologyLate');
    expect(
      replay(events, { limit: D3, policy: { extensionClassification: 'extended' } }).classification,
    ).toBe('early');
    const late = replay(
      [
        received(),
        {
          type: 'extended',
          at: T('05T07:45:00'),
          newAppointment: T('09T17:00:00'),
          reason: 'x',
          apologyLetter: { issuedAt: T('05T07:45:00') },
        },
      ],
      { limit: D3 },
    );
    expect(late.warnings.map((w) => w.code)).toContain('apologyLate');
  });

  it('warns that an apology letter is due when less than a working day is left', () => {
    const s = replay([received()], { at: T('04T09:00:00'), limit: D3 });
    expect(s.warnings.map((w) => w.code)).toContain('apologyDue');
    expect(
      replay([received()], { at: T('03T09:00:00'), limit: D3 }).warnings.map((w) => w.code),
    ).not.toContain('apologyDue');
  });

  it('a step may be late while the dossier is not', () => {
    const s = replay(
      [
        received(),
        {
          type: 'transferred',
          at: T('02T08:30:00'),
          step: 'appraisal',
          to: { id: 'officer-2' },
          stepLimit: { unit: 'workingDays', value: 1 },
        },
      ],
      { at: T('04T09:00:00'), limit: { unit: 'workingDays', value: 10 } },
    );
    expect(s.overdue).toBe(false);
    expect(s.lateStep).toBe('appraisal');
    expect(s.steps[0]).toMatchObject({ step: 'appraisal', deadline: T('03T08:30:00'), late: true });
  });

  it('Art. 19.3: a refusal after the limit is flagged; stop and return are recorded', () => {
    const r = replay([received(), { type: 'refused', at: T('06T09:00:00'), reason: 'Không đủ điều kiện' }], {
      limit: D3,
    });
    expect(r.phase).toBe('refused');
    expect(r.warnings.map((w) => w.code)).toContain('refusalLate');
    expect(replay([received(), { type: 'stopped', at: T('03T09:00:00') }], { limit: D3 }).phase).toBe(
      'stopped',
    );
    const ret = replay(
      [received(), { type: 'resolved', at: T('03T09:00:00') }, { type: 'returned', at: T('03T10:00:00') }],
      { limit: D3 },
    );
    expect(ret).toMatchObject({ phase: 'returned', classification: 'early', returnedAt: T('03T10:00:00') });
  });

  it('passive events do not move the clock; paid online feeds indicator 3.6', () => {
    const s = replay(
      [
        received(),
        { type: 'paid', at: T('02T08:10:00'), amount: 8000, method: 'portal' },
        { type: 'signed', at: T('02T08:20:00') },
        { type: 'notified', at: T('02T08:30:00'), via: 'sms' },
      ],
      { limit: D3 },
    );
    expect(s).toMatchObject({ paid: true, paidOnline: true, appointment: { current: T('05T08:00:00') } });
  });

  it('illegal sequences name the event and the rule', () => {
    expect(lifecycleCode([{ type: 'resolved', at: T('02T08:00:00') }])).toEqual([
      'lifecycle.resolved_before_received',
      0,
    ]);
    expect(lifecycleCode([received(), { type: 'supplementReceived', at: T('02T09:00:00') }])).toEqual([
      'lifecycle.supplement_not_requested',
      1,
    ]);
    const ext = (at: string): DossierEvent => ({
      type: 'extended',
      at,
      newAppointment: T('20T17:00:00'),
      reason: 'x',
      apologyLetter: { issuedAt: at },
    });
    const second: DossierEvent = {
      type: 'extended',
      at: T('03T09:00:00'),
      newAppointment: T('25T17:00:00'),
      reason: 'x',
      apologyLetter: { issuedAt: T('03T09:00:00') },
    };
    expect(lifecycleCode([received(), ext(T('03T08:00:00')), second])).toEqual([
      'lifecycle.second_extension',
      2,
    ]);
    expect(lifecycleCode([received(T('02T09:00:00')), { type: 'resolved', at: T('02T08:00:00') }])).toEqual([
      'lifecycle.order',
      1,
    ]);
    expect(
      lifecycleCode([
        received(),
        { type: 'resolved', at: T('02T09:00:00') },
        { type: 'refused', at: T('02T10:00:00'), reason: 'x' },
      ]),
    ).toEqual(['lifecycle.after_end', 2]);
    expect(lifecycleCode([received(), { type: 'resumed', at: T('02T09:00:00') }])).toEqual([
      'lifecycle.not_paused',
      1,
    ]);
    expect(lifecycleCode([received(), { type: 'returned', at: T('02T09:00:00') }])).toEqual([
      'lifecycle.not_resolved',
      1,
    ]);
    expect(lifecycleCode([received(), { type: 'closed', at: T('02T09:00:00') }])).toEqual([
      'lifecycle.not_waiting_supplement',
      1,
    ]);
    try {
      replay([received(), { type: 'returned', at: T('02T09:00:00') }], { limit: D3 });
    } catch (e) {
      expect((e as LifecycleError).message).toMatch(/^Event #1/);
      expect((e as LifecycleError).localized.vi).toMatch(/^Sự kiện #1/);
    }
  });

  it('is incremental: folding one more event equals replaying all', () => {
    const events: DossierEvent[] = [
      received(),
      { type: 'transferred', at: T('02T09:00:00'), step: 'appraisal' },
      { type: 'paused', at: T('03T09:00:00'), reason: 'x' },
      { type: 'resumed', at: T('03T14:00:00') },
      { type: 'resolved', at: T('05T09:00:00') },
    ];
    const r = new DossierReplay({ limit: D3 });
    for (const [i, e] of events.entries()) {
      r.push(e);
      expect(plain(r.status(T('06T08:00:00')))).toEqual(
        plain(replay(events.slice(0, i + 1), { at: T('06T08:00:00'), limit: D3 })),
      );
    }
    expect(() => r.status(T('01T08:00:00'))).toThrow(LifecycleError);
  });

  it('the status at an instant ignores later events', () => {
    const events: DossierEvent[] = [received(), { type: 'resolved', at: T('04T09:00:00') }];
    expect(plain(replay(events, { at: T('03T09:00:00'), limit: D3 }))).toEqual(
      plain(replay(events.slice(0, 1), { at: T('03T09:00:00'), limit: D3 })),
    );
  });
});
