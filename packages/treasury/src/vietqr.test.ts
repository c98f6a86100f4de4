import { readFileSync } from 'node:fs';
import { paymentReference } from '@motcua/core';
import fc from 'fast-check';
import { QRPay } from 'vietnam-qr-pay';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../../../test-utils/runs.js';
import { TreasuryError } from './errors.js';
import {
  crc16,
  decodeVietQr,
  encodeVietQr,
  renderVietQr,
  type VietQrInput,
  type VietQrWarning,
  vietQrPurposeWarnings,
} from './vietqr.js';

interface Sample {
  id: string;
  payload: string;
  decoded: {
    point_of_initiation: string;
    bank_bin: string;
    account_or_card: string;
    service_code: string;
    currency: string;
    amount?: string;
    country: string;
    additional_data?: { bill_number?: string; purpose_of_transaction?: string };
    crc: string;
  };
}
const shared = JSON.parse(
  readFileSync(new URL('../../../../shared/data/vietqr/samples.json', import.meta.url), 'utf8'),
) as { samples: Sample[]; negative_samples: { id: string; payload: string }[] };

const code = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    if (e instanceof TreasuryError) return e.code;
    throw e;
  }
  return undefined;
};
const quiet = { onWarning: () => {} };

describe('VietQR against the shared samples', () => {
  it('has the 7 samples and 2 negative ones', () => {
    expect(shared.samples).toHaveLength(7);
    expect(shared.negative_samples).toHaveLength(2);
  });

  it('CRC-16/CCITT-FALSE check value', () => {
    expect(crc16('123456789')).toBe('29B1');
  });

  for (const s of shared.samples) {
    it(`decodes ${s.id} and re-encodes it byte for byte`, () => {
      const d = decodeVietQr(s.payload);
      expect(d.initiation).toBe(s.decoded.point_of_initiation === '12' ? 'dynamic' : 'static');
      expect(d.bankBin).toBe(s.decoded.bank_bin);
      expect(d.accountNumber).toBe(s.decoded.account_or_card);
      expect(d.service).toBe(s.decoded.service_code);
      expect(d.currency).toBe(s.decoded.currency);
      expect(d.country).toBe(s.decoded.country);
      expect(d.crc).toBe(s.decoded.crc);
      expect(d.amount).toBe(s.decoded.amount === undefined ? undefined : Number(s.decoded.amount));
      expect(d.purpose).toBe(s.decoded.additional_data?.purpose_of_transaction);
      expect(d.billNumber).toBe(s.decoded.additional_data?.bill_number);
      const again = encodeVietQr(
        {
          bankBin: d.bankBin,
          accountNumber: d.accountNumber,
          initiation: d.initiation,
          service: d.service,
          ...(d.amount !== undefined ? { amount: d.amount } : {}),
          ...(d.purpose !== undefined ? { purpose: d.purpose } : {}),
          ...(d.billNumber !== undefined ? { billNumber: d.billNumber } : {}),
        },
        quiet,
      );
      expect(again).toBe(s.payload);
    });
  }

  it('rejects the negative samples: a wrong CRC, and a nested length that does not consume its template', () => {
    const [wrongCrc, badNested] = shared.negative_samples;
    expect(code(() => decodeVietQr(wrongCrc!.payload))).toBe('vietqr.crc');
    try {
      decodeVietQr(badNested!.payload);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'vietqr.length', field: '38.01' });
      expect((e as TreasuryError).localized.vi).toContain('38.01');
    }
    // vietnam-qr-pay accepts the second one with a truncated account: the weakness the README describes.
    expect(new QRPay(badNested!.payload).consumer.bankNumber).toBe('001101234567');
  });

  it('names the field at fault', () => {
    const ok = shared.samples[0]!.payload;
    const resign = (body: string) => body + crc16(body);
    const cases: [string, string, string][] = [
      [ok.replace('0010A000000727', '0010A000000728'), 'vietqr.guid', '38.00'],
      [ok.replace('010211', '010213'), 'vietqr.initiation', '01'],
      [ok.replace('5303704', '5303840'), 'vietqr.currency', '53'],
      [ok.replace('5802VN', '5802US'), 'vietqr.country', '58'],
      [ok.replace('QRIBFTTA', 'QRIBFTTX'), 'vietqr.service', '38.02'],
      [ok.replace('5802VN', '540412.55802VN'), 'vietqr.amount', '54'],
    ];
    for (const [bad, c, field] of cases) {
      try {
        decodeVietQr(resign(bad.slice(0, -4)));
        expect.unreachable();
      } catch (e) {
        expect(e).toMatchObject({ code: c, field });
      }
    }
    expect(code(() => decodeVietQr(ok.slice(0, -4) + ok.slice(-4).toLowerCase()))).toBe('vietqr.crc_format');
    expect(code(() => decodeVietQr(ok.slice(0, -8)))).toBe('vietqr.crc_missing');
    expect(code(() => decodeVietQr(`${ok}00`))).toBe('vietqr.length');
    expect(code(() => decodeVietQr(''))).toBe('vietqr.format');
  });
});

describe('encodeVietQr', () => {
  it('makes a dynamic code for a dossier fee, with the short payment reference as purpose', () => {
    const purpose = paymentReference('000.00.19.H57-260302-0001');
    const warnings: VietQrWarning[] = [];
    const p = encodeVietQr(
      { bankBin: '970403', accountNumber: '0011012345678', amount: 14_000, purpose },
      { onWarning: (w) => warnings.push(w) },
    );
    expect(warnings).toEqual([]);
    const d = decodeVietQr(p);
    expect(d).toMatchObject({ initiation: 'dynamic', amount: 14_000, purpose: '00000192603020001' });
    expect(p).toContain('540514000');
  });

  it('handles BINs not starting with 97 (CAKE 546034) and e-wallet accounts with letters', () => {
    const cake = encodeVietQr({ bankBin: '546034', accountNumber: '0905555999' });
    expect(cake).toBe(shared.samples.find((s) => s.id === 'sunary-static-cake-nonstandard-bin')!.payload);
    const wallet = encodeVietQr({ bankBin: '971025', accountNumber: 'PSP0123ABC', amount: 50_000 }, quiet);
    expect(decodeVietQr(wallet).accountNumber).toBe('PSP0123ABC');
    expect(new QRPay(wallet).consumer.bankNumber).toBe('PSP0123ABC');
  });

  it('warns about a purpose with diacritics or longer than 25 characters, without printing it', () => {
    const warnings: VietQrWarning[] = [];
    const purpose = 'Nộp phí chứng thực bản sao hồ sơ';
    const p = encodeVietQr(
      { bankBin: '970403', accountNumber: '0011012345678', amount: 1000, purpose },
      { onWarning: (w) => warnings.push(w) },
    );
    expect(warnings.map((w) => w.code)).toEqual(['vietqr.purpose_diacritics', 'vietqr.purpose_long']);
    expect(JSON.stringify(warnings)).not.toContain('chứng thực');
    expect(decodeVietQr(p).purpose).toBe(purpose);
    // vietnam-qr-pay reads the same purpose (character lengths, CRC over UTF-8).
    expect(new QRPay(p).additionalData.purpose).toBe(purpose);
    expect(new QRPay(p).isValid).toBe(true);
    expect(vietQrPurposeWarnings('HS 00000192603020001')).toEqual([]);
  });

  it('refuses bad input, naming the field', () => {
    const base: VietQrInput = { bankBin: '970403', accountNumber: '0011012345678' };
    expect(code(() => encodeVietQr({ ...base, bankBin: '97040' }))).toBe('vietqr.bank_bin');
    expect(code(() => encodeVietQr({ ...base, accountNumber: '0011-0123' }))).toBe('vietqr.account');
    expect(code(() => encodeVietQr({ ...base, accountNumber: '12345678901234567890' }))).toBe(
      'vietqr.account',
    );
    expect(code(() => encodeVietQr({ ...base, amount: 1.5 }))).toBe('vietqr.amount');
    expect(code(() => encodeVietQr({ ...base, amount: 0 }))).toBe('vietqr.amount');
    expect(code(() => encodeVietQr({ ...base, amount: 1e13 }))).toBe('vietqr.amount');
    expect(code(() => encodeVietQr({ ...base, purpose: 'x'.repeat(100) }, quiet))).toBe('vietqr.purpose');
    expect(
      code(() => encodeVietQr({ ...base, purpose: 'x'.repeat(70), billNumber: 'y'.repeat(25) }, quiet)),
    ).toBe('vietqr.additional_data');
    expect(code(() => encodeVietQr({ ...base, service: 'QRFOO' as 'card' }))).toBe('vietqr.service');
    expect(code(() => encodeVietQr({ ...base, purpose: 'a\nb' }))).toBe('vietqr.purpose');
  });

  it('renders SVG and PNG with the qrcode library, refusing an invalid payload', async () => {
    const p = encodeVietQr({ bankBin: '970403', accountNumber: '0011012345678', amount: 14_000 });
    const svg = await renderVietQr(p, { format: 'svg' });
    expect(svg.startsWith('<svg')).toBe(true);
    const png = await renderVietQr(p, { format: 'png', width: 200 });
    expect(Array.from(png.slice(1, 4), (c) => String.fromCharCode(c)).join('')).toBe('PNG');
    await expect(renderVietQr(`${p.slice(0, -1)}0`, { format: 'svg' })).rejects.toBeInstanceOf(TreasuryError);
  });
});

const alnum = fc.stringMatching(/^[A-Za-z0-9]{1,19}$/);
const input: fc.Arbitrary<VietQrInput> = fc.record(
  {
    bankBin: fc.stringMatching(/^\d{6}$/),
    accountNumber: alnum,
    amount: fc.integer({ min: 1, max: 9_999_999_999_999 }),
    purpose: fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9 ]{1,25}$/),
      fc.constantFrom('Nộp lệ phí hộ tịch', 'Phí chứng thực 2 bản', 'ĐÓNG PHÍ'),
    ),
    billNumber: fc.stringMatching(/^[A-Z0-9]{1,25}$/),
    service: fc.constantFrom('account' as const, 'card' as const),
    initiation: fc.constantFrom('static' as const, 'dynamic' as const),
  },
  { requiredKeys: ['bankBin', 'accountNumber'] },
);

describe('VietQR properties', () => {
  it('encode → decode is the identity on every field', () => {
    fc.assert(
      fc.property(input, (i) => {
        const d = decodeVietQr(encodeVietQr(i, quiet));
        expect(d.bankBin).toBe(i.bankBin);
        expect(d.accountNumber).toBe(i.accountNumber);
        expect(d.amount).toBe(i.amount);
        expect(d.purpose).toBe(i.purpose);
        expect(d.billNumber).toBe(i.billNumber);
        expect(d.service).toBe(i.service === 'card' ? 'QRIBFTTC' : 'QRIBFTTA');
        expect(d.initiation).toBe(i.initiation ?? (i.amount === undefined ? 'static' : 'dynamic'));
      }),
      { numRuns: propertyRuns(1000) },
    );
  });

  it('round-trips with vietnam-qr-pay both ways', () => {
    fc.assert(
      fc.property(input, (i) => {
        const ours = encodeVietQr(i, quiet);
        const theirs = new QRPay(ours);
        expect(theirs.isValid).toBe(true);
        expect(theirs.consumer.bankBin).toBe(i.bankBin);
        expect(theirs.consumer.bankNumber).toBe(i.accountNumber);
        expect(theirs.amount).toBe(i.amount === undefined ? undefined : String(i.amount));
        expect(theirs.additionalData.purpose).toBe(i.purpose);
        expect(theirs.build()).toBe(ours);
        const built = QRPay.initVietQR({
          bankBin: i.bankBin,
          bankNumber: i.accountNumber,
          ...(i.amount !== undefined ? { amount: String(i.amount) } : {}),
          ...(i.purpose !== undefined ? { purpose: i.purpose } : {}),
        }).build();
        const d = decodeVietQr(built);
        expect([d.bankBin, d.accountNumber, d.amount, d.purpose]).toEqual([
          i.bankBin,
          i.accountNumber,
          i.amount,
          i.purpose,
        ]);
      }),
      { numRuns: propertyRuns(500) },
    );
  });

  it('any single printable-ASCII substitution fails the CRC or a length check', () => {
    const detected = new Set(['vietqr.crc', 'vietqr.crc_format', 'vietqr.crc_missing', 'vietqr.length']);
    fc.assert(
      fc.property(
        input,
        fc.nat(),
        fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
        (i, at, ch) => {
          const p = encodeVietQr(i, quiet);
          const pos = at % p.length;
          fc.pre(p[pos] !== ch);
          const mutated = p.slice(0, pos) + ch + p.slice(pos + 1);
          const c = code(() => decodeVietQr(mutated));
          expect(c === undefined ? 'accepted' : detected.has(c) ? 'detected' : c).toBe('detected');
        },
      ),
      { numRuns: propertyRuns(3000) },
    );
  });
});
