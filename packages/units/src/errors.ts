import { MotcuaError } from '@motcua/core';

/** A suggestion of what a code means at another date. */
export interface UnitSuggestion {
  code: string;
  fullName: string;
  /** A date at which the code means this unit. */
  at: string;
}

/**
 * No unit has this code at this date. `suggestions` lists up to 5 units the code (or a near name) means
 * at other dates.
 *
 * @example
 * ```ts
 * try { requireUnit('00001', { at: '2025-07-01' }); }
 * catch (e) { if (e instanceof UnitNotFoundError) console.log(e.suggestions); } // [{ code: '00001', fullName: 'Phường Phúc Xá', at: '2025-06-30' }]
 * ```
 */
export class UnitNotFoundError extends MotcuaError {
  readonly suggestions: UnitSuggestion[];
  constructor(code: string, at: string, suggestions: UnitSuggestion[]) {
    const hint = suggestions.length
      ? `; at other dates: ${suggestions.map((s) => `${s.fullName} (${s.at})`).join(', ')}`
      : '';
    const hintVi = suggestions.length
      ? `; vào ngày khác: ${suggestions.map((s) => `${s.fullName} (${s.at})`).join(', ')}`
      : '';
    super('units.not_found', `No administrative unit has code ${code} on ${at}${hint}`, {
      vi: `Không có đơn vị hành chính mã ${code} vào ngày ${at}${hintVi}`,
      details: { code, at, suggestions },
    });
    this.name = 'UnitNotFoundError';
    this.suggestions = suggestions;
  }
}
