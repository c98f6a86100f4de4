import { stringify } from 'csv-stringify/sync';
import type { Figures, Summary } from './stats.js';

/** A column of the monthly report. */
export interface ReportColumn {
  key: string;
  vi: string;
  en: string;
  value: (f: Figures) => number | null;
}

const pct = (r: { rate: number | null }) => (r.rate === null ? null : Math.round(r.rate * 10_000) / 100);
const round2 = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);

/**
 * The columns of the monthly report on one-stop processing, in the order of the usual report forms
 * (tổng số, từ kỳ trước, mới tiếp nhận by channel, đã giải quyết by timeliness, đang giải quyết, …) and
 * the indicators.
 */
export const REPORT_COLUMNS: readonly ReportColumn[] = [
  { key: 'handled', vi: 'Tổng số hồ sơ', en: 'Dossiers handled', value: (f) => f.handled },
  { key: 'carriedOver', vi: 'Từ kỳ trước chuyển qua', en: 'Carried over', value: (f) => f.carriedOver },
  { key: 'received', vi: 'Mới tiếp nhận', en: 'Received', value: (f) => f.received.total },
  {
    key: 'receivedOnline',
    vi: 'Tiếp nhận trực tuyến',
    en: 'Received online',
    value: (f) => f.received.online,
  },
  {
    key: 'receivedDirect',
    vi: 'Tiếp nhận trực tiếp',
    en: 'Received in person',
    value: (f) => f.received.direct,
  },
  {
    key: 'receivedPostal',
    vi: 'Tiếp nhận qua bưu chính',
    en: 'Received by post',
    value: (f) => f.received.postal,
  },
  { key: 'resolved', vi: 'Đã giải quyết', en: 'Resolved', value: (f) => f.resolved.total },
  { key: 'resolvedEarly', vi: 'Giải quyết trước hạn', en: 'Resolved early', value: (f) => f.resolved.early },
  {
    key: 'resolvedOnTime',
    vi: 'Giải quyết đúng hạn',
    en: 'Resolved on time',
    value: (f) => f.resolved.onTime,
  },
  { key: 'resolvedLate', vi: 'Giải quyết quá hạn', en: 'Resolved late', value: (f) => f.resolved.late },
  { key: 'inProgress', vi: 'Đang giải quyết', en: 'In progress', value: (f) => f.inProgress.total },
  {
    key: 'inProgressWithinLimit',
    vi: 'Đang giải quyết trong hạn',
    en: 'In progress within limit',
    value: (f) => f.inProgress.withinLimit,
  },
  {
    key: 'inProgressOverdue',
    vi: 'Đang giải quyết quá hạn',
    en: 'In progress overdue',
    value: (f) => f.inProgress.overdue,
  },
  {
    key: 'waitingSupplement',
    vi: 'Chờ bổ sung',
    en: 'Waiting for supplement',
    value: (f) => f.waitingSupplement,
  },
  { key: 'returned', vi: 'Đã trả kết quả', en: 'Returned', value: (f) => f.returned },
  { key: 'refused', vi: 'Từ chối', en: 'Refused', value: (f) => f.refused },
  { key: 'stopped', vi: 'Rút hồ sơ / dừng', en: 'Withdrawn', value: (f) => f.stopped },
  { key: 'closed', vi: 'Đóng do không bổ sung', en: 'Closed (no supplement)', value: (f) => f.closed },
  {
    key: 'onTimeRatePct',
    vi: 'Tỷ lệ đúng hạn (2.1, %)',
    en: 'On-time rate (2.1, %)',
    value: (f) => pct(f.indicators.onTimeRate),
  },
  {
    key: 'avgWorkingDays',
    vi: 'Thời gian giải quyết TB (2.2, ngày làm việc)',
    en: 'Average resolution (2.2, working days)',
    value: (f) => round2(f.indicators.averageResolution.workingDays),
  },
  {
    key: 'onlineSharePct',
    vi: 'Tỷ lệ trực tuyến (3.3, %)',
    en: 'Online share (3.3, %)',
    value: (f) => pct(f.indicators.onlineShare),
  },
  {
    key: 'onlinePaymentSharePct',
    vi: 'Tỷ lệ thanh toán trực tuyến (3.6, %)',
    en: 'Online payment share (3.6, %)',
    value: (f) => pct(f.indicators.onlinePaymentShare),
  },
];

/** The report as a table: one row per group, then the total. */
export interface ReportTable {
  columns: { key: string; vi: string; en: string }[];
  rows: { group: string; values: (number | null)[] }[];
}

/**
 * The summary as the rows and columns of a monthly report.
 *
 * @example
 * ```ts
 * const table = reportTable(summary);
 * table.rows.at(-1); // { group: 'Tổng cộng', values: [...] }
 * ```
 */
export function reportTable(summary: Summary, language: 'vi' | 'en' = 'vi'): ReportTable {
  const rows = Object.entries(summary.groups).map(([group, f]) => ({
    group,
    values: REPORT_COLUMNS.map((c) => c.value(f)),
  }));
  rows.push({
    group: language === 'vi' ? 'Tổng cộng' : 'Total',
    values: REPORT_COLUMNS.map((c) => c.value(summary.total)),
  });
  return { columns: REPORT_COLUMNS.map(({ key, vi, en }) => ({ key, vi, en })), rows };
}

/**
 * The report as CSV (RFC 4180), header in the chosen language, with a byte-order mark when `bom` is set
 * (Excel needs it to read UTF-8).
 *
 * @example
 * ```ts
 * writeFileSync('report.csv', reportCsv(summary, { bom: true }));
 * ```
 */
export function reportCsv(summary: Summary, options: { language?: 'vi' | 'en'; bom?: boolean } = {}): string {
  const lang = options.language ?? 'vi';
  const table = reportTable(summary, lang);
  const header = [
    lang === 'vi'
      ? summary.groupBy
        ? `Nhóm (${summary.groupBy})`
        : 'Nhóm'
      : summary.groupBy
        ? `Group (${summary.groupBy})`
        : 'Group',
    ...table.columns.map((c) => c[lang]),
  ];
  const body = table.rows.map((r) => [r.group, ...r.values.map((v) => (v === null ? '' : String(v)))]);
  return (options.bom ? '\uFEFF' : '') + stringify([header, ...body], { record_delimiter: '\r\n' });
}
