/** What an error code means and where it comes from. */
export interface ErrorCodeInfo {
  /** Package that throws it. */
  area: string;
  en: string;
  vi: string;
}

/**
 * The stable error codes of @motcua/core. `MotcuaError.code` is `validation_failed` for every
 * ValidationError; the rule broken is in each issue's `code`, listed here. Codes never change meaning;
 * new ones are added. Zod's own issue codes (`invalid_type`, `too_small`, ...) may also appear in issues.
 *
 * @example
 * ```ts
 * import { ERROR_CODES } from '@motcua/core';
 * ERROR_CODES['tax_code.checksum'].vi; // 'Chữ số kiểm tra của mã số thuế không đúng'
 * ```
 */
export const ERROR_CODES = {
  validation_failed: {
    area: 'core',
    en: 'Input broke one or more rules (see issues)',
    vi: 'Dữ liệu vi phạm một hoặc nhiều quy tắc (xem issues)',
  },
  'personal_id.format': {
    area: 'core',
    en: 'Personal ID number is not 12 digits',
    vi: 'Số định danh cá nhân không gồm 12 chữ số',
  },
  'personal_id.province_unknown': {
    area: 'core',
    en: 'Unknown province code in digits 1-3',
    vi: 'Mã tỉnh ở chữ số 1-3 không tồn tại',
  },
  'personal_id.birth_year_future': {
    area: 'core',
    en: 'Birth year in the number is in the future',
    vi: 'Năm sinh trong số định danh ở tương lai',
  },
  'personal_id.birth_year_mismatch': {
    area: 'core',
    en: 'Birth year differs from the date of birth',
    vi: 'Năm sinh khác ngày sinh đã khai',
  },
  'personal_id.sex_mismatch': {
    area: 'core',
    en: 'Century/gender digit differs from the given sex',
    vi: 'Chữ số thế kỷ/giới tính khác giới tính đã khai',
  },
  'personal_id.date_of_birth_invalid': {
    area: 'core',
    en: 'The date of birth given is not a real date',
    vi: 'Ngày sinh đã khai không hợp lệ',
  },
  'legacy_id.format': {
    area: 'core',
    en: 'Old ID card number is not 9 digits',
    vi: 'Số CMND cũ không gồm 9 chữ số',
  },
  'tax_code.format': {
    area: 'core',
    en: 'Tax code is not 10, 12 or 13 digits',
    vi: 'Mã số thuế không gồm 10, 12 hoặc 13 chữ số',
  },
  'tax_code.checksum': {
    area: 'core',
    en: 'Tax code check digit is wrong',
    vi: 'Chữ số kiểm tra của mã số thuế không đúng',
  },
  'tax_code.sequence_zero': {
    area: 'core',
    en: 'Tax code digits 3-9 are all zero',
    vi: 'Chữ số 3-9 của mã số thuế đều bằng 0',
  },
  'tax_code.branch_zero': {
    area: 'core',
    en: 'Branch suffix 000 is invalid',
    vi: 'Số thứ tự đơn vị phụ thuộc 000 không hợp lệ',
  },
  'cccd_qr.format': { area: 'core', en: 'QR content is not text', vi: 'Nội dung QR không phải văn bản' },
  'cccd_qr.fields_missing': {
    area: 'core',
    en: 'QR content has fewer than 7 fields',
    vi: 'Nội dung QR có ít hơn 7 trường',
  },
  'cccd_qr.personal_id': {
    area: 'core',
    en: 'QR ID field is not 12 digits',
    vi: 'Trường số định danh trong QR không gồm 12 chữ số',
  },
  'cccd_qr.legacy_id': {
    area: 'core',
    en: 'QR old ID field is neither empty nor 9 digits',
    vi: 'Trường CMND cũ trong QR không trống và không gồm 9 chữ số',
  },
  'cccd_qr.full_name_missing': { area: 'core', en: 'QR full name is empty', vi: 'Họ tên trong QR bị trống' },
  'cccd_qr.date_format': {
    area: 'core',
    en: 'QR date is not ddMMyyyy',
    vi: 'Ngày trong QR không ở dạng ddMMyyyy',
  },
  'cccd_qr.date_invalid': {
    area: 'core',
    en: 'QR date is not a real date',
    vi: 'Ngày trong QR không có thật',
  },
  'cccd_qr.sex': {
    area: 'core',
    en: 'QR sex is neither Nam nor Nữ',
    vi: 'Giới tính trong QR không phải Nam hoặc Nữ',
  },
  'cccd_qr.issue_before_birth': {
    area: 'core',
    en: 'QR issue date is before the date of birth',
    vi: 'Ngày cấp trong QR trước ngày sinh',
  },
  'phone.invalid': {
    area: 'core',
    en: 'Not a Vietnamese phone number',
    vi: 'Không phải số điện thoại Việt Nam',
  },
  'dossier_code.structure': {
    area: 'core',
    en: 'Dossier code does not follow the layout',
    vi: 'Mã hồ sơ không đúng cấu trúc',
  },
  'dossier_code.agency': {
    area: 'core',
    en: 'Agency code part is malformed',
    vi: 'Phần mã cơ quan sai dạng',
  },
  'dossier_code.date': { area: 'core', en: 'Date part is not a real date', vi: 'Phần ngày không có thật' },
  'dossier_code.date_range': {
    area: 'core',
    en: 'Year outside 2000-2099 with a two-digit year',
    vi: 'Năm ngoài 2000-2099 khi dùng năm hai chữ số',
  },
  'dossier_code.sequence': {
    area: 'core',
    en: 'Daily sequence out of range',
    vi: 'Số thứ tự trong ngày ngoài phạm vi',
  },
  'dossier_code.format_separator': {
    area: 'core',
    en: 'Invalid separator in the code layout',
    vi: 'Ký tự phân cách không hợp lệ',
  },
  'dossier_code.format_sequence_digits': {
    area: 'core',
    en: 'Invalid sequence width in the code layout',
    vi: 'Độ dài số thứ tự không hợp lệ',
  },
  'payment_reference.too_long': {
    area: 'core',
    en: 'Payment reference would exceed 19 characters',
    vi: 'Mã tham chiếu thanh toán vượt 19 ký tự',
  },
  'payment_reference.format': {
    area: 'core',
    en: 'Payment reference is not 1-19 of A-Z, 0-9',
    vi: 'Mã tham chiếu không gồm 1-19 ký tự A-Z, 0-9',
  },
  'payment_reference.agency_unknown': {
    area: 'core',
    en: 'Payment reference matches no agency',
    vi: 'Mã tham chiếu không khớp cơ quan nào',
  },
  'instant.format': {
    area: 'core',
    en: 'Not an ISO 8601 instant with offset',
    vi: 'Không phải thời điểm ISO 8601 có múi giờ',
  },
  'date.format': { area: 'core', en: 'Not a real date YYYY-MM-DD', vi: 'Không phải ngày hợp lệ YYYY-MM-DD' },
  'time.format': { area: 'core', en: 'Not a time HH:MM', vi: 'Không phải giờ HH:MM' },
  'money.integer': {
    area: 'core',
    en: 'Money is not an integer number of dong',
    vi: 'Số tiền không là số nguyên đồng',
  },
  'money.negative': { area: 'core', en: 'Money is negative', vi: 'Số tiền âm' },
  'unit.province_code': {
    area: 'core',
    en: 'Province code is not 2 digits',
    vi: 'Mã tỉnh không gồm 2 chữ số',
  },
  'unit.commune_code': { area: 'core', en: 'Commune code is not 5 digits', vi: 'Mã xã không gồm 5 chữ số' },
  'address.province_code': {
    area: 'core',
    en: 'Address province code is not 2 digits',
    vi: 'Mã tỉnh của địa chỉ không gồm 2 chữ số',
  },
  'address.commune_code': {
    area: 'core',
    en: 'Address commune code is not 5 digits',
    vi: 'Mã xã của địa chỉ không gồm 5 chữ số',
  },
  'person.full_name': { area: 'core', en: 'Full name is missing', vi: 'Thiếu họ và tên' },
  'person.email': { area: 'core', en: 'E-mail address is malformed', vi: 'Địa chỉ thư điện tử sai dạng' },
  'limit.value_positive': {
    area: 'core',
    en: 'Limit value is not positive',
    vi: 'Giá trị thời hạn không dương',
  },
  'limit.value_max': { area: 'core', en: 'Limit value is implausibly large', vi: 'Giá trị thời hạn quá lớn' },
  'fee.legal_basis': {
    area: 'core',
    en: 'Fee rule without legal basis',
    vi: 'Quy định thu thiếu căn cứ pháp lý',
  },
  'fee.amount_missing': {
    area: 'core',
    en: 'Fee item without amount or tiers',
    vi: 'Mục thu thiếu số tiền hoặc bậc',
  },
  'fee.effective_range': {
    area: 'core',
    en: 'Fee item ends before it starts',
    vi: 'Mục thu kết thúc trước khi bắt đầu',
  },
  'fee.tiers_gap': {
    area: 'core',
    en: 'Fee tiers are not contiguous from 1',
    vi: 'Các bậc thu không liên tiếp từ 1',
  },
  'fee.tiers_open': {
    area: 'core',
    en: 'Open-ended fee tier that is not the last',
    vi: 'Bậc mở không phải bậc cuối',
  },
  'fee.tiers_inverted': {
    area: 'core',
    en: 'Fee tier ends before it starts',
    vi: 'Bậc thu kết thúc trước khi bắt đầu',
  },
  'procedure.code': { area: 'core', en: 'Procedure code is malformed', vi: 'Mã thủ tục sai dạng' },
  'event.supplement_reasons': {
    area: 'core',
    en: 'Supplement request without reasons',
    vi: 'Yêu cầu bổ sung không nêu lý do',
  },
  'dossier.code': { area: 'core', en: 'Dossier code is malformed', vi: 'Mã hồ sơ sai dạng' },
  'dossier.first_event': {
    area: 'core',
    en: "First event is not 'received'",
    vi: "Sự kiện đầu tiên không phải 'received'",
  },
} as const satisfies Record<string, ErrorCodeInfo>;
