import { bench, describe } from 'vitest';
import { DossierSchema, parseCccdQr, parsePersonalId, parseTaxCode } from '../src/index.js';
import { sampleDossier } from '../src/schemas/schemas.test.js';

// Inputs rotate so that no JIT constant-folds a single value.
const ids = Array.from(
  { length: 1024 },
  (_, i) =>
    `0${String(1 + (i % 2) * 78).padStart(2, '0')}${i % 4}${String(i % 25).padStart(2, '0')}${String(i * 7919)
      .slice(-6)
      .padStart(6, '0')}`,
);
const taxes = ['0100233488', '0314409058-002', '0100112437', '0312687878001'];
const qr = '001090000001||Nguyễn Văn A|01011990|Nam|Số 1 Phố Mẫu, Phường Ba Đình, Thành phố Hà Nội|15042021';
let i = 0;

describe('identifiers', () => {
  bench('parsePersonalId', () => {
    parsePersonalId(ids[i++ & 1023]!);
  });
  bench('parseTaxCode', () => {
    parseTaxCode(taxes[i++ & 3]!);
  });
  bench('parseCccdQr', () => {
    parseCccdQr(qr);
  });
});

describe('schemas', () => {
  bench('DossierSchema.parse (5 events, applicant with ID and phone)', () => {
    DossierSchema.parse(sampleDossier);
  });
});
