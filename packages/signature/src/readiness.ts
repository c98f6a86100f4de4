import { z } from 'zod';
import { parseCertificate } from './cms.js';

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
 * An officer in the signing registry of a commune.
 *
 * @example
 * ```ts
 * SigningOfficerSchema.parse({ officerId: 'o-1', unit: 'xa-a', roles: ['specialist'], credential: null });
 * ```
 */
export const SigningOfficerSchema = z.object({
  officerId: z.string().min(1),
  unit: z.string().min(1),
  roles: z.array(z.enum(['specialist', 'leader', 'chairman', 'deputy_chairman', 'receiving_officer'])),
  credential: SigningCredentialSchema.nullable(),
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
    | 'readiness.no_certified_copy_signer';
  vi: string;
  en: string;
}

const DAY = 86_400_000;

/**
 * Lists every problem that would stop a commune unit from signing: no credential, expired or
 * soon-expiring certificate (30 days), wrong key usage, nobody entitled to sign certified copies.
 *
 * @example
 * ```ts
 * const problems = checkSigningReadiness(officers, delegations, 'xa-thu-nghiem', { at: new Date() });
 * ```
 */
export function checkSigningReadiness(
  officers: readonly SigningOfficer[],
  delegations: readonly Delegation[],
  unit: string,
  options: { at: Date; warnDays?: number },
): ReadinessProblem[] {
  const at = options.at.getTime();
  const warn = (options.warnDays ?? 30) * DAY;
  const problems: ReadinessProblem[] = [];
  const ready = new Set<string>();
  for (const o of officers.filter((x) => x.unit === unit)) {
    const id = o.officerId;
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
  const delegateReady = delegations.some(
    (d) => d.unit === unit && ready.has(d.to) && Date.parse(d.from) <= at && at <= Date.parse(d.until),
  );
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
