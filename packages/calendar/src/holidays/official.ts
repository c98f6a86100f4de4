import type { HolidayScheduleInput } from './schema.js';

// Official schedules for civil servants, as data with their documents (DOMAIN.md §4; confidence there).
// Where a notice number was not verified the source says so. Years not listed are computed by the rules
// (holidays.ts) and marked provisional.

const LC = 'Bộ luật Lao động 45/2019/QH14 Điều 112';
const MAKEUP = 'Bộ luật Lao động 45/2019/QH14 Điều 111(3)';
const N = {
  newYear: { vi: 'Tết Dương lịch', en: "New Year's Day" },
  tet: { vi: 'Tết Nguyên đán', en: 'Lunar New Year (Tết)' },
  hung: { vi: 'Giỗ Tổ Hùng Vương', en: "Hùng Kings' Commemoration" },
  reunification: { vi: 'Ngày Chiến thắng (30/4)', en: 'Reunification Day (30 April)' },
  labour: { vi: 'Ngày Quốc tế Lao động (1/5)', en: "International Workers' Day (1 May)" },
  national: { vi: 'Quốc khánh (2/9)', en: 'National Day (2 September)' },
  culture: { vi: 'Ngày Văn hóa Việt Nam (24/11)', en: 'Vietnam Culture Day (24 November)' },
};
const st = (date: string, name: { vi: string; en: string }, source = LC) => ({
  date,
  name,
  kind: 'statutory' as const,
  source,
});
const comp = (date: string, name: { vi: string; en: string }, source = MAKEUP) => ({
  date,
  name: { vi: `nghỉ bù ${name.vi}`, en: `make-up day for ${name.en}` },
  kind: 'compensatory' as const,
  source,
});
const swap = (date: string, name: { vi: string; en: string }, source: string) => ({
  date,
  name: { vi: `nghỉ hoán đổi dịp ${name.vi}`, en: `day off swapped, ${name.en}` },
  kind: 'swapped-off' as const,
  source,
});

/** The schedules shipped with the package. */
export const OFFICIAL_SCHEDULES: HolidayScheduleInput[] = [
  {
    year: 2022,
    source: 'Bộ LĐTBXH, thông báo nghỉ lễ, Tết năm 2022 (số hiệu chưa kiểm tra); Bộ luật Lao động 2019',
    holidays: [
      st('2022-01-01', N.newYear),
      comp('2022-01-03', N.newYear),
      ...['2022-01-31', '2022-02-01', '2022-02-02', '2022-02-03', '2022-02-04'].map((d) =>
        st(d, N.tet, 'Bộ LĐTBXH, thông báo nghỉ Tết Nhâm Dần 2022 (số hiệu chưa kiểm tra)'),
      ),
      st('2022-04-10', N.hung),
      comp('2022-04-11', N.hung),
      st('2022-04-30', N.reunification),
      st('2022-05-01', N.labour),
      comp('2022-05-02', N.reunification),
      comp('2022-05-03', N.labour),
      st('2022-09-01', N.national),
      st('2022-09-02', N.national),
    ],
  },
  {
    year: 2023,
    source: 'Bộ LĐTBXH, thông báo nghỉ lễ, Tết năm 2023 (số hiệu chưa kiểm tra)',
    holidays: [
      st('2023-01-01', N.newYear),
      comp('2023-01-02', N.newYear),
      ...['2023-01-20', '2023-01-23', '2023-01-24', '2023-01-25', '2023-01-26'].map((d) =>
        st(d, N.tet, 'Bộ LĐTBXH, thông báo nghỉ Tết Quý Mão 2023 (số hiệu chưa kiểm tra)'),
      ),
      st('2023-04-29', N.hung),
      st('2023-04-30', N.reunification),
      st('2023-05-01', N.labour),
      comp('2023-05-02', N.hung),
      comp('2023-05-03', N.reunification),
      st('2023-09-01', N.national),
      st('2023-09-02', N.national),
      comp('2023-09-04', N.national),
    ],
  },
  {
    year: 2024,
    source: 'Bộ LĐTBXH, thông báo nghỉ Tết Giáp Thìn 2024 (số hiệu chưa kiểm tra); 1570/TB-LĐTBXH',
    holidays: [
      st('2024-01-01', N.newYear),
      ...['2024-02-08', '2024-02-09', '2024-02-12', '2024-02-13', '2024-02-14'].map((d) =>
        st(d, N.tet, 'Bộ LĐTBXH, thông báo nghỉ Tết Giáp Thìn 2024 (số hiệu chưa kiểm tra)'),
      ),
      st('2024-04-18', N.hung),
      swap('2024-04-29', N.reunification, '1570/TB-LĐTBXH'),
      st('2024-04-30', N.reunification),
      st('2024-05-01', N.labour),
      st('2024-09-02', N.national),
      st('2024-09-03', N.national),
    ],
    workingWeekends: [{ date: '2024-05-04', swappedWith: '2024-04-29', source: '1570/TB-LĐTBXH' }],
  },
  {
    year: 2025,
    source: 'Thông báo 6150/TB-BLĐTBXH (2024-12-03)',
    holidays: [
      st('2025-01-01', N.newYear, '6150/TB-BLĐTBXH'),
      ...['2025-01-27', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31'].map((d) =>
        st(d, N.tet, '6150/TB-BLĐTBXH'),
      ),
      st('2025-04-07', N.hung, '6150/TB-BLĐTBXH'),
      st('2025-04-30', N.reunification, '6150/TB-BLĐTBXH'),
      st('2025-05-01', N.labour, '6150/TB-BLĐTBXH'),
      swap('2025-05-02', N.reunification, '6150/TB-BLĐTBXH'),
      st('2025-09-01', N.national, '6150/TB-BLĐTBXH'),
      st('2025-09-02', N.national, '6150/TB-BLĐTBXH'),
    ],
    workingWeekends: [{ date: '2025-04-26', swappedWith: '2025-05-02', source: '6150/TB-BLĐTBXH' }],
  },
  {
    year: 2026,
    source: '12729/VPCP-KGVX; Thông báo 9441/TB-BNV (2025-10-16); 3383/BNV-CVL; Nghị quyết 28/2026/QH16',
    holidays: [
      st('2026-01-01', N.newYear, '12729/VPCP-KGVX'),
      swap('2026-01-02', N.newYear, '12729/VPCP-KGVX'),
      ...['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20'].map((d) =>
        st(d, N.tet, 'Thông báo 9441/TB-BNV'),
      ),
      st('2026-04-26', N.hung, '3383/BNV-CVL'),
      comp('2026-04-27', N.hung, `${MAKEUP}; 3383/BNV-CVL`),
      st('2026-04-30', N.reunification, '3383/BNV-CVL'),
      st('2026-05-01', N.labour, '3383/BNV-CVL'),
      swap('2026-08-31', N.national, 'Thông báo 9441/TB-BNV'),
      st('2026-09-01', N.national, 'Thông báo 9441/TB-BNV'),
      st('2026-09-02', N.national, 'Thông báo 9441/TB-BNV'),
      st('2026-11-24', N.culture, 'Nghị quyết 28/2026/QH16 Điều 2'),
    ],
    workingWeekends: [
      { date: '2026-01-10', swappedWith: '2026-01-02', source: '12729/VPCP-KGVX' },
      { date: '2026-08-22', swappedWith: '2026-08-31', source: 'Thông báo 9441/TB-BNV' },
    ],
  },
];

export const HOLIDAY_NAMES = N;
