import { parseWith } from '@motcua/core';
import { NotifyError } from './errors.js';
import type { NotifyChannel } from './notifier.js';
import { type Notice, type NoticeKind, NoticeSchema } from './schemas.js';
import { containsPersonalId, formatDateVi, formatVnd, type SmsSize, smsSize, unaccent } from './text.js';

/**
 * The legal basis of each notice (Decree 118/2025/NĐ-CP), in both languages.
 *
 * @example
 * ```ts
 * import { NOTICE_LEGAL_BASIS } from '@motcua/notify';
 * NOTICE_LEGAL_BASIS.extension.article; // 'Art. 19.6'
 * ```
 */
export const NOTICE_LEGAL_BASIS: Readonly<Record<NoticeKind, { article: string; en: string; vi: string }>> = {
  supplementRequest: {
    article: 'Art. 17.1, 19.5',
    en: 'Decree 118/2025/ND-CP, Art. 17.1 (all reasons at once) and Art. 19.5 (closed if not supplemented)',
    vi: 'Nghị định 118/2025/NĐ-CP, khoản 1 Điều 17 và khoản 5 Điều 19',
  },
  extension: {
    article: 'Art. 19.6',
    en: 'Decree 118/2025/ND-CP, Art. 19.6 (apology letter with a new date)',
    vi: 'Nghị định 118/2025/NĐ-CP, khoản 6 Điều 19',
  },
  earlyResult: {
    article: 'Art. 22.5',
    en: 'Decree 118/2025/ND-CP, Art. 22.5 (early result with advance notice)',
    vi: 'Nghị định 118/2025/NĐ-CP, khoản 5 Điều 22',
  },
  resultReady: {
    article: 'Art. 22',
    en: 'Decree 118/2025/ND-CP, Art. 22 (returning results)',
    vi: 'Nghị định 118/2025/NĐ-CP, Điều 22',
  },
  feeDue: {
    article: 'Art. 24',
    en: 'Decree 118/2025/ND-CP, Art. 24 (fees and charges)',
    vi: 'Nghị định 118/2025/NĐ-CP, Điều 24',
  },
};

/** Options of {@link renderNotice}. */
export interface RenderOptions {
  /** The channel: SMS gets a short text within the length limit, e-mail and webhook the full letter. */
  channel: NotifyChannel;
  /** SMS only: drop the diacritics so the text is GSM-7 (160 characters a part instead of 70). */
  unaccented?: boolean;
  /** SMS only: the most parts a message may take. Default 3. */
  maxSmsSegments?: number;
  /** E-mail only: the citizen's name for the greeting (`Kính gửi ông/bà …`). */
  recipientName?: string;
}

/** A notice rendered for one channel. */
export interface RenderedNotice {
  kind: NoticeKind;
  channel: NotifyChannel;
  subject: string;
  text: string;
  /** SMS only: encoding and parts. */
  sms?: SmsSize;
  /** SMS only: `full` carries every detail; `short` was needed to stay within the limit (see the README). */
  form?: 'full' | 'short';
}

const SUBJECTS: Record<NoticeKind, string> = {
  supplementRequest: 'Yêu cầu bổ sung, hoàn thiện hồ sơ',
  extension: 'Thư xin lỗi và hẹn lại ngày trả kết quả',
  earlyResult: 'Hồ sơ có kết quả sớm hơn ngày hẹn',
  resultReady: 'Hồ sơ đã có kết quả',
  feeDue: 'Thông báo nộp phí, lệ phí',
};

const d = formatDateVi;
const shorten = (s: string, max: number) =>
  s.length <= max ? s : `${s.slice(0, Math.max(1, max - 3)).trimEnd()}...`;

/** SMS bodies from the most to the least detailed; `proc` may be shortened to fit. */
function smsForms(n: Notice, proc: string): string[] {
  const head = `Hồ sơ ${n.dossierCode} (${proc})`;
  const low = `hồ sơ ${n.dossierCode} (${proc})`;
  const sign = n.unitName ? ` ${n.unitName}.` : '';
  const more = n.lookupUrl ? ` Chi tiết: ${n.lookupUrl}` : '';
  switch (n.kind) {
    case 'supplementRequest': {
      const reasons = n.reasons.map((r, i) => `${i + 1}) ${r.replace(/[.;]+$/, '')}`).join('; ');
      return [
        `${head} cần bổ sung, hoàn thiện: ${reasons}. Hạn bổ sung: ${d(n.deadline)}.${sign}${more}`,
        `${head} cần bổ sung ${n.reasons.length} nội dung. Hạn bổ sung: ${d(n.deadline)}.${
          n.lookupUrl ? ` Chi tiết: ${n.lookupUrl}` : ' Chi tiết trong phiếu yêu cầu bổ sung.'
        }`,
        `${head} cần bổ sung ${n.reasons.length} nội dung, hạn ${d(n.deadline)}.`,
      ];
    }
    case 'extension':
      return [
        `${n.unitName ?? 'Cơ quan giải quyết'} xin lỗi vì ${low} chưa trả kết quả đúng hẹn ${d(n.originalDate)}. Lý do: ${n.reason.replace(/[.;]+$/, '')}. Ngày hẹn trả mới: ${d(n.newDate)}.${more}`,
        `Xin lỗi: ${low} chưa trả đúng hẹn ${d(n.originalDate)}. Ngày hẹn trả mới: ${d(n.newDate)}.`,
      ];
    case 'earlyResult':
      return [
        `${head} đã có kết quả sớm, trước hẹn ${d(n.appointmentDate)}. Mời nhận từ ngày ${d(n.readyDate)} tại ${n.place}.${sign}`,
        `${head} có kết quả sớm. Mời nhận từ ${d(n.readyDate)} (hẹn cũ ${d(n.appointmentDate)}).`,
      ];
    case 'resultReady':
      return [
        `${head} đã có kết quả. Mời nhận từ ngày ${d(n.readyDate)} tại ${n.place}.${sign}`,
        `${head} đã có kết quả. Mời nhận từ ${d(n.readyDate)}.`,
      ];
    case 'feeDue':
      return [
        `${head}: phí, lệ phí phải nộp ${formatVnd(n.amount)} đồng, hạn nộp ${d(n.dueDate)}.${n.paymentInfo ? ` Cách nộp: ${n.paymentInfo}.` : ''}${sign}`,
        `${head}: nộp ${formatVnd(n.amount)} đồng trước ${d(n.dueDate)}.`,
      ];
  }
}

function letterBody(n: Notice, name: string | undefined): string {
  const lines: string[] = [`Kính gửi ông/bà${name ? ` ${name}` : ''},`, ''];
  const about = `hồ sơ mã ${n.dossierCode}, thủ tục "${n.procedureName}"`;
  switch (n.kind) {
    case 'supplementRequest':
      lines.push(
        `Sau khi xem xét ${about}, cơ quan tiếp nhận đề nghị ông/bà bổ sung, hoàn thiện các nội dung sau:`,
        ...n.reasons.map((r, i) => `  ${i + 1}. ${r}`),
        '',
        `Hạn bổ sung: ${d(n.deadline, { weekday: true })}. Quá thời hạn này mà hồ sơ chưa được bổ sung, hồ sơ sẽ bị dừng xử lý.`,
        'Thời hạn giải quyết được tính lại từ khi nhận đủ hồ sơ hợp lệ.',
      );
      break;
    case 'extension':
      lines.push(
        `Chúng tôi thành thật xin lỗi ông/bà vì ${about} chưa thể trả kết quả đúng hẹn ngày ${d(n.originalDate, { weekday: true })}.`,
        `Lý do: ${n.reason}`,
        `Ngày hẹn trả kết quả mới: ${d(n.newDate, { weekday: true })}.`,
        'Mong ông/bà thông cảm.',
      );
      break;
    case 'earlyResult':
      lines.push(
        `${about[0]!.toUpperCase()}${about.slice(1)} đã có kết quả sớm hơn ngày hẹn ${d(n.appointmentDate, { weekday: true })}.`,
        `Ông/bà có thể nhận kết quả từ ${d(n.readyDate, { weekday: true })} tại ${n.place}, hoặc vẫn nhận theo ngày hẹn cũ.`,
      );
      break;
    case 'resultReady':
      lines.push(
        `${about[0]!.toUpperCase()}${about.slice(1)} đã có kết quả.`,
        `Mời ông/bà nhận kết quả từ ${d(n.readyDate, { weekday: true })} tại ${n.place}.`,
      );
      break;
    case 'feeDue':
      lines.push(
        `Đối với ${about}, số phí, lệ phí phải nộp là ${formatVnd(n.amount)} đồng.`,
        `Hạn nộp: ${d(n.dueDate, { weekday: true })}.`,
        ...(n.paymentInfo ? [`Cách nộp: ${n.paymentInfo}.`] : []),
      );
      break;
  }
  if (n.lookupUrl) lines.push('', `Tra cứu hồ sơ: ${n.lookupUrl}`);
  lines.push(
    '',
    `Căn cứ: ${NOTICE_LEGAL_BASIS[n.kind].vi}.`,
    '',
    'Trân trọng,',
    n.unitName ?? 'Bộ phận Một cửa',
  );
  return lines.join('\n');
}

/**
 * Renders a notice from its Vietnamese template for one channel, after validating it with
 * {@link NoticeSchema} (a `ValidationError` names the field and the rule). Dates are written `dd/MM/yyyy`.
 * E-mail and webhook get the full letter (every reason of a supplement request, the apology of an extension,
 * the legal basis). SMS gets a short text within `maxSmsSegments`: the full form when it fits, else a short
 * form that keeps the dossier code, the dates and the amount (a supplement request then gives the number of
 * reasons and where to read them); if even that does not fit, the procedure name is shortened, and if it
 * still does not fit, a `NotifyError` `notify.sms_too_long`. Text never contains a personal ID number.
 *
 * @example
 * ```ts
 * import { renderNotice } from '@motcua/notify';
 * const sms = renderNotice(
 *   {
 *     kind: 'extension',
 *     dossierCode: '000.00.19.H57-250701-0001',
 *     procedureName: 'Đăng ký khai sinh',
 *     originalDate: '2025-07-10',
 *     newDate: '2025-07-15',
 *     reason: 'Cần xác minh thêm thông tin',
 *   },
 *   { channel: 'sms', unaccented: true },
 * );
 * sms.text; // 'Co quan giai quyet xin loi vi ho so 000.00.19.H57-250701-0001 (Dang ky khai sinh) … 15/07/2025.'
 * ```
 */
export function renderNotice(notice: Notice, options: RenderOptions): RenderedNotice {
  const n = parseWith(NoticeSchema, notice);
  const subject = `[Hồ sơ ${n.dossierCode}] ${SUBJECTS[n.kind]}`;
  let out: RenderedNotice;
  if (options.channel !== 'sms') {
    out = { kind: n.kind, channel: options.channel, subject, text: letterBody(n, options.recipientName) };
  } else {
    const max = options.maxSmsSegments ?? 3;
    const fix = (s: string) => (options.unaccented ? unaccent(s) : s);
    let found: RenderedNotice | undefined;
    for (const procMax of [Number.POSITIVE_INFINITY, 40, 20]) {
      const forms = smsForms(n, shorten(n.procedureName, procMax));
      for (const [i, raw] of forms.entries()) {
        const text = fix(raw);
        const size = smsSize(text);
        if (size.segments <= max) {
          found = {
            kind: n.kind,
            channel: 'sms',
            subject: fix(subject),
            text,
            sms: size,
            form: i === 0 && procMax === Number.POSITIVE_INFINITY ? 'full' : 'short',
          };
          break;
        }
      }
      if (found) break;
    }
    if (!found)
      throw new NotifyError(
        'notify.sms_too_long',
        {
          en: `text: the notice does not fit in ${max} SMS part(s) (rule sms.max_segments)`,
          vi: `text: thông báo vượt quá ${max} phần tin nhắn SMS (quy tắc sms.max_segments)`,
        },
        { retryable: false, channel: 'sms', details: { maxSegments: max } },
      );
    out = found;
  }
  // The schema refuses ID numbers in free text; this guards the assembled text too.
  if (containsPersonalId(out.text))
    throw new NotifyError(
      'notify.personal_id_in_text',
      {
        en: 'text: a notice must not contain a personal ID number (rule notify.personal_id_in_text)',
        vi: 'text: thông báo không được chứa số định danh cá nhân (quy tắc notify.personal_id_in_text)',
      },
      { retryable: false, channel: options.channel },
    );
  return out;
}
