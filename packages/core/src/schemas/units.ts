import { z } from 'zod';
import { DateSchema, rule } from './primitives.js';

/**
 * A reference to an administrative unit. Codes were reused in the 2025 reform, so a unit is identified
 * by its code and the date at which the code is read (`on`, default: today).
 */
export const UnitRefSchema = z.discriminatedUnion('level', [
  z.object({
    level: z.literal('province'),
    code: z
      .string()
      .regex(/^\d{2}$/, rule('unit.province_code', 'A province code has 2 digits', 'Mã tỉnh gồm 2 chữ số')),
    on: DateSchema.optional(),
  }),
  z.object({
    level: z.literal('commune'),
    code: z
      .string()
      .regex(/^\d{5}$/, rule('unit.commune_code', 'A commune code has 5 digits', 'Mã xã gồm 5 chữ số')),
    on: DateSchema.optional(),
  }),
]);
/** `{ level: 'province' | 'commune', code, on? }` */
export type UnitRef = z.infer<typeof UnitRefSchema>;

/** A two-level address (since 2025-07-01): the detail (house, street, village), the commune and the province. */
export const AddressSchema = z.object({
  /** House number, street, village or hamlet (thôn, tổ dân phố). */
  detail: z.string().trim().min(1),
  communeCode: z
    .string()
    .regex(/^\d{5}$/, rule('address.commune_code', 'A commune code has 5 digits', 'Mã xã gồm 5 chữ số')),
  provinceCode: z
    .string()
    .regex(/^\d{2}$/, rule('address.province_code', 'A province code has 2 digits', 'Mã tỉnh gồm 2 chữ số')),
});
export type Address = z.infer<typeof AddressSchema>;
