import { ValidationError } from '@motcua/core';
import { describe, expect, it } from 'vitest';
import { NotifyError } from './errors.js';
import type { Notice } from './schemas.js';
import { NOTICE_LEGAL_BASIS, renderNotice } from './templates.js';
import { containsPersonalId, formatDateVi, formatVnd, smsSize, unaccent } from './text.js';

const code = '000.00.19.H57-250701-0001';
const base = { dossierCode: code, procedureName: 'Đăng ký khai sinh', unitName: 'UBND xã Vân Sơn' };
const supplement: Notice = {
  kind: 'supplementRequest',
  ...base,
  reasons: [
    'Thiếu giấy chứng sinh bản chính',
    'Tờ khai chưa ghi nơi cư trú của người mẹ',
    'Chữ ký người đi đăng ký không khớp với giấy tờ tùy thân',
  ],
  deadline: '2025-07-20',
};

describe('templates (Decree 118/2025/NĐ-CP)', () => {
  it('supplement request (Art. 17.1, 19.5): the letter lists every reason, numbered, and the deadline dd/MM/yyyy', () => {
    const r = renderNotice(supplement, { channel: 'email', recipientName: 'Trần Thị Thử' });
    expect(r.subject).toBe(`[Hồ sơ ${code}] Yêu cầu bổ sung, hoàn thiện hồ sơ`);
    const reasons = (supplement as Extract<Notice, { kind: 'supplementRequest' }>).reasons;
    reasons.forEach((reason, i) => {
      expect(r.text).toContain(`${i + 1}. ${reason}`);
    });
    expect(r.text).toContain('Hạn bổ sung: Chủ nhật, 20/07/2025');
    expect(r.text).toContain('Đăng ký khai sinh');
    expect(r.text).toContain('Kính gửi ông/bà Trần Thị Thử,');
    expect(r.text).toContain(NOTICE_LEGAL_BASIS.supplementRequest.vi);
    expect(r.text).not.toContain('2025-07-20');
  });

  it('supplement request (Art. 17.1) by SMS: the full list when it fits, else the count of reasons, within the part limit', () => {
    const one = renderNotice({ ...supplement, reasons: ['Thiếu giấy chứng sinh'] } as Notice, {
      channel: 'sms',
      unaccented: true,
    });
    expect(one.form).toBe('full');
    expect(one.text).toContain('1) Thieu giay chung sinh');
    expect(one.text).toContain('20/07/2025');
    const many = renderNotice(supplement, { channel: 'sms', maxSmsSegments: 2 });
    expect(many.form).toBe('short');
    expect(many.text).toContain(`cần bổ sung ${3} nội dung`);
    expect(many.text).toContain('20/07/2025');
    expect(many.text).toContain(code);
    expect(smsSize(many.text).segments).toBeLessThanOrEqual(2);
    expect(many.sms).toEqual(smsSize(many.text));
  });

  it('extension (Art. 19.6): an apology with the original and the new date', () => {
    const n: Notice = {
      kind: 'extension',
      ...base,
      originalDate: '2025-07-10',
      newDate: '2025-07-15',
      reason: 'Cần xác minh thêm thông tin tại nơi cư trú',
    };
    const email = renderNotice(n, { channel: 'email' });
    expect(email.subject).toContain('Thư xin lỗi và hẹn lại ngày trả kết quả');
    expect(email.text).toContain('xin lỗi');
    expect(email.text).toContain('thứ Năm, 10/07/2025');
    expect(email.text).toContain('Ngày hẹn trả kết quả mới: thứ Ba, 15/07/2025');
    expect(email.text).toContain(NOTICE_LEGAL_BASIS.extension.vi);
    const sms = renderNotice(n, { channel: 'sms', unaccented: true });
    expect(sms.text).toMatch(/^UBND xa Van Son xin loi vi ho so 000\.00\.19\.H57-250701-0001/);
    expect(sms.text).toContain('Ngay hen tra moi: 15/07/2025');
  });

  it('extension (Art. 19.6): the new date must come after the original one', () => {
    const bad = {
      kind: 'extension',
      ...base,
      originalDate: '2025-07-10',
      newDate: '2025-07-10',
      reason: 'Chờ kết quả xác minh',
    } as Notice;
    const e = (() => {
      try {
        renderNotice(bad, { channel: 'sms' });
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).issues[0]).toMatchObject({
      path: ['newDate'],
      code: 'notify.new_date_not_later',
    });
    expect((e as ValidationError).localized.vi).toContain('Ngày hẹn mới phải sau ngày hẹn cũ');
  });

  it('early result (Art. 22.5): advance notice of a result ready before the appointment', () => {
    const n: Notice = {
      kind: 'earlyResult',
      ...base,
      appointmentDate: '2025-07-10',
      readyDate: '2025-07-08',
      place: 'Bộ phận một cửa UBND xã Vân Sơn',
    };
    const sms = renderNotice(n, { channel: 'sms' });
    expect(sms.text).toContain('trước hẹn 10/07/2025');
    expect(sms.text).toContain('Mời nhận từ ngày 08/07/2025 tại Bộ phận một cửa UBND xã Vân Sơn');
    expect(renderNotice(n, { channel: 'email' }).text).toContain(NOTICE_LEGAL_BASIS.earlyResult.vi);
    expect(() => renderNotice({ ...n, readyDate: '2025-07-11' } as Notice, { channel: 'sms' })).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ codes: ['notify.not_early'] }) }),
    );
  });

  it('result ready (Art. 22): where and from when to collect it', () => {
    const n: Notice = { kind: 'resultReady', ...base, readyDate: '2025-07-03', place: 'Bộ phận một cửa' };
    const sms = renderNotice(n, { channel: 'sms' });
    expect(sms.text).toBe(
      `Hồ sơ ${code} (Đăng ký khai sinh) đã có kết quả. Mời nhận từ ngày 03/07/2025 tại Bộ phận một cửa. UBND xã Vân Sơn.`,
    );
    expect(renderNotice(n, { channel: 'webhook' }).text).toContain('thứ Năm, 03/07/2025');
  });

  it('fee due (Art. 24): the amount in dong with grouping and the due date', () => {
    const n: Notice = {
      kind: 'feeDue',
      ...base,
      amount: 1_250_000,
      dueDate: '2025-07-05',
      paymentInfo: 'chuyển khoản hoặc quét mã VietQR',
    };
    const sms = renderNotice(n, { channel: 'sms' });
    expect(sms.text).toContain('phải nộp 1.250.000 đồng, hạn nộp 05/07/2025');
    expect(() => renderNotice({ ...n, amount: 0 } as Notice, { channel: 'sms' })).toThrow(ValidationError);
  });

  it('SMS without diacritics is GSM-7 and takes fewer parts than the accented text', () => {
    const n: Notice = { kind: 'resultReady', ...base, readyDate: '2025-07-03', place: 'Bộ phận một cửa' };
    const accented = renderNotice(n, { channel: 'sms' });
    const plain = renderNotice(n, { channel: 'sms', unaccented: true });
    expect(accented.sms?.encoding).toBe('ucs2');
    expect(plain.sms?.encoding).toBe('gsm7');
    expect(plain.sms!.segments).toBeLessThan(accented.sms!.segments);
    expect(plain.text).toBe(unaccent(accented.text));
    expect(plain.text).toMatch(/^[\x20-\x7e]+$/);
  });

  it('keeps SMS within the limit by shortening the procedure name, and refuses what cannot fit', () => {
    const long = {
      kind: 'resultReady',
      ...base,
      procedureName:
        'Đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi (liên thông)',
      readyDate: '2025-07-03',
      place: 'Bộ phận một cửa UBND xã Vân Sơn, tỉnh Phú Thọ',
    } as Notice;
    const r = renderNotice(long, { channel: 'sms', maxSmsSegments: 1, unaccented: true });
    expect(r.form).toBe('short');
    expect(smsSize(r.text).segments).toBe(1);
    expect(r.text).toContain(code);
    expect(r.text).toContain('03/07/2025');
    expect(() => renderNotice(long, { channel: 'sms', maxSmsSegments: 1 })).toThrow(NotifyError);
    try {
      renderNotice(long, { channel: 'sms', maxSmsSegments: 1 });
    } catch (e) {
      expect((e as NotifyError).code).toBe('notify.sms_too_long');
      expect((e as NotifyError).retryable).toBe(false);
      expect((e as NotifyError).localized.vi).toContain('sms.max_segments');
    }
  });

  it('refuses a personal ID number in the text, naming the field and rule without echoing the number', () => {
    const n = {
      ...supplement,
      reasons: ['Căn cước số 025090000001 đã hết hạn'],
    } as Notice;
    try {
      renderNotice(n, { channel: 'email' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).issues[0]).toMatchObject({
        path: ['reasons', 0],
        code: 'notify.personal_id_in_text',
      });
      expect((e as ValidationError).message).not.toContain('025090000001');
      expect((e as ValidationError).localized.vi).toContain('số định danh');
    }
    expect(containsPersonalId('CMND 123456789')).toBe(true);
    expect(containsPersonalId(`Hồ sơ ${code}, hotline 02103123456`)).toBe(false);
  });
});

describe('text helpers', () => {
  it('formats dates dd/MM/yyyy with the Vietnamese weekday, without local-midnight Dates', () => {
    expect(formatDateVi('2025-08-05')).toBe('05/08/2025');
    expect(formatDateVi('2025-08-05', { weekday: true })).toBe('thứ Ba, 05/08/2025');
    expect(formatDateVi('2024-02-29', { weekday: true })).toBe('thứ Năm, 29/02/2024');
    expect(() => formatDateVi('2025-02-29')).toThrow(RangeError);
  });

  it('groups dong with dots and drops Vietnamese diacritics including đ', () => {
    expect(formatVnd(0)).toBe('0');
    expect(formatVnd(999)).toBe('999');
    expect(formatVnd(1000)).toBe('1.000');
    expect(formatVnd(12_345_678)).toBe('12.345.678');
    expect(unaccent('Đơn đề nghị cấp bản sao trích lục ưu tiên')).toBe(
      'Don de nghi cap ban sao trich luc uu tien',
    );
  });

  it('counts SMS parts at the GSM-7 and UCS-2 boundaries', () => {
    expect(smsSize('a'.repeat(160))).toEqual({ encoding: 'gsm7', units: 160, segments: 1 });
    expect(smsSize('a'.repeat(161))).toEqual({ encoding: 'gsm7', units: 161, segments: 2 });
    expect(smsSize('a'.repeat(306)).segments).toBe(2);
    expect(smsSize('a'.repeat(307)).segments).toBe(3);
    expect(smsSize('€'.repeat(80))).toEqual({ encoding: 'gsm7', units: 160, segments: 1 });
    expect(smsSize('ă'.repeat(70))).toEqual({ encoding: 'ucs2', units: 70, segments: 1 });
    expect(smsSize('ă'.repeat(71))).toEqual({ encoding: 'ucs2', units: 71, segments: 2 });
    expect(smsSize(`${'a'.repeat(159)}ă`).encoding).toBe('ucs2');
  });
});
