import { fail } from './errors.js';
import { instantMs, vnDate } from './time.js';
import { amountInWords } from './words.js';

/** A line of a receipt. */
export interface ReceiptLine {
  description: string;
  amount: number;
  legalBasis?: string;
}

/** An electronic fee receipt (biên lai điện tử, Decree 123/2020/NĐ-CP, Circular 78/2021/TT-BTC). */
export interface Receipt {
  /** `series/number`, unique per unit. */
  id: string;
  unitCode: string;
  /** Template symbol (ký hiệu mẫu). */
  template: string;
  /** Series symbol (ký hiệu), carrying the year. */
  series: string;
  year: number;
  /** Number in the series, zero-padded to 7 digits. */
  number: string;
  issuedAt: string;
  dossierCode: string;
  feeId: string;
  paymentId?: string;
  /** The payer's name as printed (personal data: never logged). */
  payerName: string;
  lines: ReceiptLine[];
  amount: number;
  amountInWords: string;
  status: 'issued' | 'cancelled' | 'replaced';
  /** The receipt this one replaces. */
  replaces?: string;
  replacedBy?: string;
  /** Cancellation or replacement reason. */
  reason?: string;
  /** What happened to it, in order. */
  trail: { at: string; action: 'issued' | 'cancelled' | 'replaced' | 'replacement'; note?: string }[];
}

/** Settings of a {@link ReceiptBook}. */
export interface ReceiptBookOptions {
  unitCode: string;
  /**
   * Template symbol. Circular 78/2021 leaves the exact symbols to the issuing agency's registration; the
   * default `01BLP0-001` is a placeholder to replace with the registered one.
   */
  template?: string;
  /** Series symbol for a year. Default `BL${yy}E` (an electronic receipt of year yy); set the registered one. */
  series?: (year: number) => string;
  /**
   * The unit's receipts issued before (as persisted): the book takes them back, trail and status included,
   * and each year's numbering continues after the highest number found, so a restart never reuses one.
   */
  receipts?: Iterable<Receipt>;
}

/**
 * The receipts of one unit: a number series per year (1, 2, 3… restarting each year), issue, cancel and
 * replace without ever deleting (the trail keeps each step; a replacement points to the receipt it replaces).
 * Memory-backed: receipts are plain data a vendor persists and hands back through `receipts` after a restart.
 *
 * @example
 * ```ts
 * import { ReceiptBook } from '@motcua/treasury';
 * const book = new ReceiptBook({ unitCode: '05152' });
 * const r = book.issue({ issuedAt: '2026-03-02T09:30:00+07:00', dossierCode, feeId, payerName: 'Nguyễn Văn Mẫu',
 *   lines: [{ description: 'Phí chứng thực bản sao (10 trang)', amount: 14000 }] });
 * r.number; // '0000001'
 * r.amountInWords; // 'Mười bốn nghìn đồng'
 * // After a restart, from the persisted receipts: the numbering goes on.
 * const again = new ReceiptBook({ unitCode: '05152', receipts: book.all() });
 * ```
 */
export class ReceiptBook {
  readonly #o: Required<Omit<ReceiptBookOptions, 'receipts'>>;
  readonly #next = new Map<number, number>();
  readonly #receipts = new Map<string, Receipt>();

  constructor(options: ReceiptBookOptions) {
    if (!/^\d{5}$/.test(options.unitCode))
      fail('receipt.unit_code', 'unitCode must be 5 digits', 'unitCode phải gồm 5 chữ số', 'unitCode');
    this.#o = {
      unitCode: options.unitCode,
      template: options.template ?? '01BLP0-001',
      series: options.series ?? ((y) => `BL${String(y % 100).padStart(2, '0')}E`),
    };
    for (const r of options.receipts ?? []) {
      if (r.unitCode !== options.unitCode)
        fail(
          'receipt.restore_unit',
          `Receipt ${r.id} belongs to unit ${r.unitCode}, not ${options.unitCode}`,
          `Biên lai ${r.id} thuộc đơn vị ${r.unitCode}, không phải ${options.unitCode}`,
          'receipts',
        );
      if (this.#receipts.has(r.id))
        fail(
          'receipt.restore_duplicate',
          `Receipt ${r.id} is given twice`,
          `Biên lai ${r.id} được nạp hai lần`,
          'receipts',
        );
      const n = Number(r.number);
      if (!Number.isSafeInteger(n) || n < 1)
        fail(
          'receipt.restore_number',
          `Receipt ${r.id} has no valid number`,
          `Biên lai ${r.id} không có số hợp lệ`,
          'receipts',
        );
      this.#receipts.set(r.id, { ...r, lines: r.lines.map((l) => ({ ...l })), trail: [...r.trail] });
      this.#next.set(r.year, Math.max(this.#next.get(r.year) ?? 1, n + 1));
    }
  }

  /** Every receipt, in issue order. */
  all(): Receipt[] {
    return [...this.#receipts.values()];
  }

  get(id: string): Receipt | undefined {
    return this.#receipts.get(id);
  }

  /** Issues the next receipt of the year of `issuedAt`. The amount is the sum of the lines. */
  issue(input: {
    issuedAt: string;
    dossierCode: string;
    feeId: string;
    payerName: string;
    lines: ReceiptLine[];
    paymentId?: string;
  }): Receipt {
    return this.#issue(input, undefined);
  }

  #issue(
    input: Parameters<ReceiptBook['issue']>[0],
    replaces: Receipt | undefined,
    reason?: string,
  ): Receipt {
    instantMs(input.issuedAt, 'issuedAt');
    if (input.lines.length === 0)
      fail(
        'receipt.lines',
        'A receipt needs at least one line',
        'Biên lai phải có ít nhất một dòng',
        'lines',
      );
    for (const [i, l] of input.lines.entries())
      if (!Number.isSafeInteger(l.amount) || l.amount < 0)
        fail(
          'receipt.amount',
          `lines.${i}.amount must be a non-negative integer of dong`,
          `lines.${i}.amount phải là số nguyên đồng không âm`,
          `lines.${i}.amount`,
        );
    if (!input.payerName.trim())
      fail('receipt.payer', 'payerName is required', 'Thiếu tên người nộp', 'payerName');
    const year = Number(vnDate(input.issuedAt).slice(0, 4));
    const n = this.#next.get(year) ?? 1;
    this.#next.set(year, n + 1);
    const series = this.#o.series(year);
    const number = String(n).padStart(7, '0');
    const amount = input.lines.reduce((s, l) => s + l.amount, 0);
    const r: Receipt = {
      id: `${series}/${number}`,
      unitCode: this.#o.unitCode,
      template: this.#o.template,
      series,
      year,
      number,
      issuedAt: input.issuedAt,
      dossierCode: input.dossierCode,
      feeId: input.feeId,
      ...(input.paymentId ? { paymentId: input.paymentId } : {}),
      payerName: input.payerName,
      lines: input.lines.map((l) => ({ ...l })),
      amount,
      amountInWords: amountInWords(amount),
      status: 'issued',
      ...(replaces ? { replaces: replaces.id, reason } : {}),
      trail: [
        {
          at: input.issuedAt,
          action: replaces ? 'replacement' : 'issued',
          ...(replaces ? { note: `thay thế ${replaces.id}` } : {}),
        },
      ],
    };
    this.#receipts.set(r.id, r);
    return r;
  }

  #live(id: string): Receipt {
    const r = this.#receipts.get(id);
    if (!r) fail('receipt.not_found', `No receipt ${id}`, `Không có biên lai ${id}`, 'id');
    if (r.status !== 'issued')
      fail(
        'receipt.not_live',
        `Receipt ${id} is already ${r.status}`,
        `Biên lai ${id} đã bị ${r.status === 'cancelled' ? 'hủy' : 'thay thế'}`,
        'id',
      );
    return r;
  }

  /** Cancels a receipt (it stays in the book, marked cancelled, with the reason). */
  cancel(id: string, reason: string, at: string): Receipt {
    instantMs(at, 'at');
    if (!reason.trim())
      fail('receipt.reason', 'A cancellation needs a reason', 'Hủy biên lai phải nêu lý do', 'reason');
    const r = this.#live(id);
    r.status = 'cancelled';
    r.reason = reason;
    r.trail.push({ at, action: 'cancelled', note: reason });
    return r;
  }

  /** Replaces a receipt with a new one (next number); the old one is marked replaced and points to it. */
  replace(id: string, input: Parameters<ReceiptBook['issue']>[0], reason: string): Receipt {
    if (!reason.trim())
      fail('receipt.reason', 'A replacement needs a reason', 'Thay thế biên lai phải nêu lý do', 'reason');
    const old = this.#live(id);
    const next = this.#issue(input, old, reason);
    old.status = 'replaced';
    old.replacedBy = next.id;
    old.reason = reason;
    old.trail.push({ at: input.issuedAt, action: 'replaced', note: `thay bằng ${next.id}` });
    return next;
  }
}
