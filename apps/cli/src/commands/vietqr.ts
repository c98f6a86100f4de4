import { readFileSync } from 'node:fs';
import { paymentReference } from '@motcua/core';
// @motcua/treasury (pdf-lib, fonts) is slow to load: imported only when a vietqr command runs.
import type { VietQrData, VietQrInput, VietQrWarning } from '@motcua/treasury';
import type { Argv } from 'yargs';
import { writeAtomic } from '../io.js';
import { CliError, EXIT, type GlobalOptions, print, style } from '../output.js';

type Lang = 'vi' | 'en';

interface ImageOptions {
  png?: string | undefined;
  svg?: string | undefined;
  size: number;
}

/** Renders the QR image(s) asked for; returns the files written. */
async function writeImages(payload: string, o: ImageOptions): Promise<{ png?: string; svg?: string }> {
  if (!Number.isInteger(o.size) || o.size < 64 || o.size > 4096)
    throw new CliError(`--size ${o.size}: give a width in pixels from 64 to 4096`, EXIT.usage, 'usage.size');
  const { renderVietQr } = await import('@motcua/treasury');
  const written: { png?: string; svg?: string } = {};
  if (o.png !== undefined) {
    await writeAtomic(o.png, await renderVietQr(payload, { format: 'png', width: o.size }));
    written.png = o.png;
  }
  if (o.svg !== undefined) {
    await writeAtomic(o.svg, await renderVietQr(payload, { format: 'svg', width: o.size }));
    written.svg = o.svg;
  }
  return written;
}

/** Amount in dong from `14000`, `14.000`, `14,000` or `14_000` (VND has no decimals). */
function amountFrom(text: string): number {
  const t = text.trim();
  if (!/^\d+$/.test(t) && !/^\d{1,3}([.,_ ]\d{3})+$/.test(t))
    throw new CliError(
      `--amount ${text}: expected a whole number of dong, e.g. 14000 or 14.000`,
      EXIT.usage,
      'usage.amount',
    );
  return Number(t.replace(/[.,_ ]/g, ''));
}

function describe(d: VietQrData, lang: Lang, formatVnd: (amount: number) => string): string[] {
  const L = (vi: string, en: string) => (lang === 'vi' ? vi : en).padEnd(16);
  return [
    `${L('Loại mã', 'Initiation')}${d.initiation === 'dynamic' ? (lang === 'vi' ? 'động (dùng một lần)' : 'dynamic (one-off)') : lang === 'vi' ? 'tĩnh (dùng nhiều lần)' : 'static (reusable)'}`,
    `${L('BIN ngân hàng', 'Bank BIN')}${d.bankBin}`,
    `${L('Tài khoản/thẻ', 'Account/card')}${d.accountNumber}`,
    `${L('Dịch vụ', 'Service')}${d.service}`,
    ...(d.amount !== undefined ? [`${L('Số tiền', 'Amount')}${formatVnd(d.amount)}`] : []),
    ...(d.purpose !== undefined ? [`${L('Nội dung CK', 'Purpose')}${d.purpose}`] : []),
    ...Object.entries(d.additionalData)
      .filter(([k]) => k !== 'purpose')
      .map(([k, v]) => `${k.padEnd(16)}${v}`),
    ...(d.merchantCategory !== undefined
      ? [`${L('Mã ngành (MCC)', 'Merchant cat.')}${d.merchantCategory}`]
      : []),
    ...(d.merchantName !== undefined ? [`${L('Tên đơn vị', 'Merchant')}${d.merchantName}`] : []),
    ...(d.merchantCity !== undefined ? [`${L('Thành phố', 'City')}${d.merchantCity}`] : []),
    `${L('CRC', 'CRC')}${d.crc} ${style.green('✓')}`,
  ];
}

function warningLine(w: VietQrWarning, lang: Lang): string {
  return `${style.yellow('!')} ${w.code} (${w.field}): ${w.message[lang]}`;
}

const imageOptions = <T>(y: Argv<T>) =>
  y
    .option('png', { type: 'string', describe: 'also draw the QR code into this PNG file' })
    .option('svg', { type: 'string', describe: 'also draw the QR code into this SVG file' })
    .option('size', { type: 'number', default: 320, describe: 'image width in pixels' });

export function vietqrCommands(yargs: Argv<GlobalOptions & { lang: Lang }>) {
  return yargs.command(
    'vietqr <action>',
    'VietQR (NAPAS 24/7 transfer QR on EMVCo): encode a payload from bank, account, amount and purpose, or decode and check one; --png/--svg draw the code.',
    (y) =>
      y
        .command(
          'encode',
          'Build a VietQR payload. Keep the purpose ASCII and ≤ 25 characters (some bank apps drop the rest): --dossier puts the short payment reference of a dossier code there.',
          (z) =>
            imageOptions(
              z
                .option('bank', {
                  type: 'string',
                  demandOption: true,
                  describe: "the beneficiary bank's BIN, 6 digits (970403 Sacombank, 970436 Vietcombank…)",
                })
                .option('account', {
                  type: 'string',
                  demandOption: true,
                  describe: 'account or card number (1-19 letters or digits)',
                })
                .option('amount', {
                  type: 'string',
                  describe: 'amount in dong (makes a dynamic, one-off code)',
                })
                .option('purpose', { type: 'string', describe: 'transfer content (62.08)' })
                .option('dossier', {
                  type: 'string',
                  describe: 'a dossier code: its payment reference becomes the purpose',
                  conflicts: 'purpose',
                })
                .option('bill', { type: 'string', describe: 'bill number (62.01)' })
                .option('reference', { type: 'string', describe: 'reference label (62.05)' })
                .option('terminal', { type: 'string', describe: 'terminal label (62.07)' })
                .option('service', {
                  choices: ['account', 'card', 'push', 'cash'] as const,
                  default: 'account' as const,
                  describe: 'account (QRIBFTTA), card (QRIBFTTC), push (QRPUSH), cash (QRCASH)',
                })
                .option('initiation', {
                  choices: ['static', 'dynamic'] as const,
                  describe:
                    'static (reusable) or dynamic (one-off); default: dynamic when an amount is given',
                })
                .option('mcc', { type: 'string', describe: 'merchant category code (52), 4 digits' }),
            )
              .example(
                '$0 vietqr encode --bank 970403 --account 0011012345678 --amount 14000 --dossier 000.00.19.H57-260302-0001 --png fee.png',
                'a one-off code for a fee, with the reference a reconciliation can match',
              )
              .example('$0 vietqr encode --bank 970403 --account 0011012345678 --json', 'a reusable code'),
          async (argv) => {
            const { decodeVietQr, encodeVietQr, TreasuryError } = await import('@motcua/treasury');
            let purpose = argv.purpose;
            if (argv.dossier !== undefined) {
              try {
                purpose = paymentReference(argv.dossier);
              } catch (e) {
                throw new CliError(
                  `--dossier ${argv.dossier}: not a dossier code (${(e as Error).message})`,
                  EXIT.usage,
                  (e as { code?: string }).code ?? 'usage.dossier',
                );
              }
            }
            const input: VietQrInput = {
              bankBin: argv.bank,
              accountNumber: argv.account,
              service: argv.service,
              ...(argv.amount !== undefined ? { amount: amountFrom(argv.amount) } : {}),
              ...(purpose !== undefined ? { purpose } : {}),
              ...(argv.bill !== undefined ? { billNumber: argv.bill } : {}),
              ...(argv.reference !== undefined ? { referenceLabel: argv.reference } : {}),
              ...(argv.terminal !== undefined ? { terminalLabel: argv.terminal } : {}),
              ...(argv.initiation !== undefined ? { initiation: argv.initiation } : {}),
              ...(argv.mcc !== undefined ? { merchantCategory: argv.mcc } : {}),
            };
            const warnings: VietQrWarning[] = [];
            let payload: string;
            try {
              payload = encodeVietQr(input, { onWarning: (w) => warnings.push(w) });
            } catch (e) {
              if (e instanceof TreasuryError)
                throw new CliError(
                  `vietqr encode: ${e.code} (field ${e.field ?? '?'}): ${e.message}`,
                  EXIT.usage,
                  e.code,
                  { field: e.field },
                );
              throw e;
            }
            const files = await writeImages(payload, argv);
            if (!argv.json) for (const w of warnings) process.stderr.write(`${warningLine(w, argv.lang)}\n`);
            print(argv, { payload, ...decodeVietQr(payload), warnings, files }, () =>
              [payload, ...Object.values(files).map((f) => `→ ${f}`)].join('\n'),
            );
          },
        )
        .command(
          'decode <payload>',
          'Decode and check a VietQR payload (every TLV length, the CRC, each field); exit 1 if it is not valid. Give - to read it from stdin.',
          (z) =>
            imageOptions(z.positional('payload', { type: 'string', demandOption: true }))
              .example(
                '$0 vietqr decode 00020101021138570010A00000072701270006970403011300110123456780208QRIBFTTA53037045802VN63049E6F',
                '',
              )
              .example('pbpaste | $0 vietqr decode - --json', 'a payload from the clipboard'),
          async (argv) => {
            // yargs turns a lone '-' into an empty string: look at the raw arguments.
            const fromStdin = argv.payload === '-' || (argv.payload === '' && process.argv.includes('-'));
            const payload = (fromStdin ? readFileSync(0, 'utf8') : argv.payload)
              .replace(/^\uFEFF/, '')
              .trim();
            const { decodeVietQr, formatVnd, TreasuryError, vietQrPurposeWarnings } = await import(
              '@motcua/treasury'
            );
            let data: VietQrData;
            try {
              data = decodeVietQr(payload);
            } catch (e) {
              if (e instanceof TreasuryError)
                throw new CliError(
                  `payload (${payload.length} characters): ${e.code} at field ${e.field ?? '?'}: ${e.message}${e.code === 'vietqr.crc' ? ` (expected ${e.details.expected}, found ${e.details.found})` : ''}`,
                  EXIT.findings,
                  e.code,
                  { ...e.details, field: e.field, length: payload.length },
                );
              throw e;
            }
            const warnings = vietQrPurposeWarnings(data.purpose);
            const files = await writeImages(payload, argv);
            if (!argv.json) for (const w of warnings) process.stderr.write(`${warningLine(w, argv.lang)}\n`);
            print(argv, { payload, ...data, warnings, files }, () =>
              [
                ...describe(data, argv.lang, (a) => formatVnd(a)),
                ...Object.values(files).map((f) => `→ ${f}`),
              ].join('\n'),
            );
          },
        )
        .demandCommand(1),
    () => {},
  );
}
