import { z } from 'zod';
import { parseCertificate } from './cms.js';
import { SignatureError } from './errors.js';

/**
 * An officer's signing credential: a CSC credential ID or a local certificate, with its certificate.
 *
 * @example
 * ```ts
 * SigningCredentialSchema.parse({ kind: 'csc', id: 'cred-rsa-an', certificate: certDer });
 * ```
 */
export const SigningCredentialSchema = z.object({
  kind: z.enum(['csc', 'local']),
  id: z.string().min(1),
  /** The certificate, DER. */
  certificate: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'DER bytes expected'),
});

/**
 * An officer in the signing registry of a commune: credential, roles, unit and (optionally) the period the
 * assignment is valid for.
 *
 * @example
 * ```ts
 * SigningOfficerSchema.parse({ officerId: 'o-1', unit: 'xa-a', roles: ['specialist'], credential: null });
 * SigningOfficerSchema.parse({ officerId: 'o-2', unit: 'xa-a', roles: ['chairman'], credential: null, validUntil: '2026-06-30T23:59:59+07:00' });
 * ```
 */
export const SigningOfficerSchema = z.object({
  officerId: z.string().min(1),
  unit: z.string().min(1),
  roles: z.array(z.enum(['specialist', 'leader', 'chairman', 'deputy_chairman', 'receiving_officer'])),
  credential: SigningCredentialSchema.nullable(),
  /** When this assignment (roles in this unit) starts; absent: always. */
  validFrom: z.iso.datetime({ offset: true }).optional(),
  /** When it ends (a transfer, a term ending); absent: open-ended. */
  validUntil: z.iso.datetime({ offset: true }).optional(),
});
/** An officer with role(s) and (perhaps) a credential. */
export type SigningOfficer = z.infer<typeof SigningOfficerSchema>;

/**
 * A delegation: the chairman authorises an officer to sign certified copies for a period.
 *
 * @example
 * ```ts
 * DelegationSchema.parse({ unit: 'xa-a', to: 'officer-2', scope: 'certified_copy', from: '2025-07-01T00:00:00+07:00', until: '2025-12-31T23:59:59+07:00' });
 * ```
 */
export const DelegationSchema = z.object({
  unit: z.string().min(1),
  to: z.string().min(1),
  scope: z.literal('certified_copy'),
  from: z.iso.datetime({ offset: true }),
  until: z.iso.datetime({ offset: true }),
});
/** A delegation of the power to sign certified copies (Decree 118/2025 Art. 19.2). */
export type Delegation = z.infer<typeof DelegationSchema>;

/** One readiness problem, with a code and a bilingual reason. */
export interface ReadinessProblem {
  officerId: string | null;
  code:
    | 'readiness.no_credential'
    | 'readiness.certificate_expired'
    | 'readiness.certificate_expiring'
    | 'readiness.certificate_corrupt'
    | 'readiness.key_usage'
    | 'readiness.assignment_not_in_force'
    | 'readiness.delegation_lapsed'
    | 'readiness.delegation_expiring'
    | 'readiness.no_certified_copy_signer';
  vi: string;
  en: string;
}

const DAY = 86_400_000;

/** Whether an officer's assignment is in force at `at` (ms). */
export function assignmentInForce(o: Pick<SigningOfficer, 'validFrom' | 'validUntil'>, at: number): boolean {
  return (
    (o.validFrom === undefined || Date.parse(o.validFrom) <= at) &&
    (o.validUntil === undefined || at <= Date.parse(o.validUntil))
  );
}

/** dd/mm/yyyy in Vietnam time. */
function day(ms: number): string {
  const v = new Date(ms + 7 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(v.getUTCDate())}/${p(v.getUTCMonth() + 1)}/${v.getUTCFullYear()}`;
}

function checked<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = [field, ...(issue?.path ?? []).map(String)].join('.');
  throw new SignatureError(
    'signature.invalid_input',
    `${path}: ${issue?.message ?? 'invalid'}.`,
    `${path}: không hợp lệ (${issue?.message ?? 'sai định dạng'}).`,
    r.error,
    { field: path },
  );
}

/**
 * Lists every problem that would stop a commune unit from signing: no credential, expired or
 * soon-expiring certificate (30 days), wrong key usage, an assignment not in force, nobody entitled to sign
 * certified copies, and the chairman's delegation lapsed or ending within the same 30 days. Throws
 * `signature.invalid_input` (naming the field) for a malformed registry.
 *
 * @example
 * ```ts
 * const problems = checkSigningReadiness(officers, delegations, 'xa-thu-nghiem', { at: new Date() });
 * for (const p of problems) console.log(p.officerId, p.code, p.vi);
 * ```
 */
export function checkSigningReadiness(
  officers: readonly SigningOfficer[],
  delegations: readonly Delegation[],
  unit: string,
  options: { at: Date; warnDays?: number },
): ReadinessProblem[] {
  checked(z.array(SigningOfficerSchema), officers, 'officers');
  checked(z.array(DelegationSchema), delegations, 'delegations');
  checked(z.string().min(1), unit, 'unit');
  checked(
    z.date().refine((d) => !Number.isNaN(d.getTime()), 'a valid date'),
    options?.at,
    'at',
  );
  checked(z.number().int().min(0).max(366).optional(), options.warnDays, 'warnDays');
  const at = options.at.getTime();
  const warn = (options.warnDays ?? 30) * DAY;
  const problems: ReadinessProblem[] = [];
  const ready = new Set<string>();
  for (const o of officers.filter((x) => x.unit === unit)) {
    const id = o.officerId;
    if (!assignmentInForce(o, at)) {
      const ended = o.validUntil !== undefined && Date.parse(o.validUntil) < at;
      problems.push({
        officerId: id,
        code: 'readiness.assignment_not_in_force',
        vi: ended
          ? `Phân công ký của cán bộ đã hết hiệu lực từ ngày ${day(Date.parse(o.validUntil ?? ''))}.`
          : `Phân công ký của cán bộ chỉ có hiệu lực từ ngày ${day(Date.parse(o.validFrom ?? ''))}.`,
        en: ended
          ? `The officer's signing assignment ended on ${day(Date.parse(o.validUntil ?? ''))}.`
          : `The officer's signing assignment only starts on ${day(Date.parse(o.validFrom ?? ''))}.`,
      });
      continue;
    }
    if (!o.credential) {
      problems.push({
        officerId: id,
        code: 'readiness.no_credential',
        vi: 'Cán bộ chưa được cấu hình chứng thư số để ký.',
        en: 'The officer has no signing credential configured.',
      });
      continue;
    }
    let cert: ReturnType<typeof parseCertificate>;
    try {
      cert = parseCertificate(o.credential.certificate);
    } catch {
      problems.push({
        officerId: id,
        code: 'readiness.certificate_corrupt',
        vi: 'Chứng thư số của cán bộ bị hỏng.',
        en: "The officer's certificate is corrupt.",
      });
      continue;
    }
    const notAfter = cert.notAfter.value.getTime();
    let ok = true;
    if (notAfter < at || cert.notBefore.value.getTime() > at) {
      ok = false;
      problems.push({
        officerId: id,
        code: 'readiness.certificate_expired',
        vi: 'Chứng thư số đã hết hạn hoặc chưa có hiệu lực.',
        en: 'The certificate has expired or is not yet valid.',
      });
    } else if (notAfter - at < warn) {
      problems.push({
        officerId: id,
        code: 'readiness.certificate_expiring',
        vi: `Chứng thư số sẽ hết hạn trong ${Math.ceil((notAfter - at) / DAY)} ngày.`,
        en: `The certificate expires in ${Math.ceil((notAfter - at) / DAY)} days.`,
      });
    }
    const ku = cert.extensions?.find((e) => e.extnID === '2.5.29.15');
    const bits = (ku?.parsedValue as { valueBlock?: { valueHexView?: Uint8Array } } | undefined)?.valueBlock
      ?.valueHexView?.[0];
    if (ku && ((bits ?? 0) & 0xc0) === 0) {
      ok = false;
      problems.push({
        officerId: id,
        code: 'readiness.key_usage',
        vi: 'Chứng thư số không được phép dùng để ký số.',
        en: 'The certificate is not allowed to make digital signatures.',
      });
    }
    if (ok) ready.add(id);
  }
  const chairmanReady = officers.some(
    (o) => o.unit === unit && o.roles.includes('chairman') && ready.has(o.officerId),
  );
  const mine = delegations.filter((d) => d.unit === unit && d.scope === 'certified_copy');
  const inForce = mine.filter((d) => Date.parse(d.from) <= at && at <= Date.parse(d.until));
  const delegateReady = inForce.some((d) => ready.has(d.to));
  if (!chairmanReady) {
    // The unit relies on a delegation: say when it lapsed, or when the one in force ends.
    if (inForce.length === 0) {
      const lapsed = mine
        .filter((d) => Date.parse(d.until) < at)
        .sort((x, y) => Date.parse(y.until) - Date.parse(x.until))[0];
      if (lapsed)
        problems.push({
          officerId: lapsed.to,
          code: 'readiness.delegation_lapsed',
          vi: `Ủy quyền ký bản sao chứng thực của chủ tịch đã hết hạn ngày ${day(Date.parse(lapsed.until))}.`,
          en: `The chairman's delegation to sign certified copies lapsed on ${day(Date.parse(lapsed.until))}.`,
        });
    } else if (delegateReady) {
      const last = Math.max(...inForce.filter((d) => ready.has(d.to)).map((d) => Date.parse(d.until)));
      if (last - at < warn) {
        const d = inForce.find((x) => ready.has(x.to) && Date.parse(x.until) === last);
        problems.push({
          officerId: d?.to ?? null,
          code: 'readiness.delegation_expiring',
          vi: `Ủy quyền ký bản sao chứng thực sẽ hết hạn ngày ${day(last)}.`,
          en: `The delegation to sign certified copies ends on ${day(last)}.`,
        });
      }
    }
  }
  if (!chairmanReady && !delegateReady) {
    problems.push({
      officerId: null,
      code: 'readiness.no_certified_copy_signer',
      vi: 'Không có chủ tịch hoặc người được ủy quyền còn hiệu lực có thể ký bản sao chứng thực.',
      en: 'Neither the chairman nor a delegate in force can sign certified copies.',
    });
  }
  return problems;
}
