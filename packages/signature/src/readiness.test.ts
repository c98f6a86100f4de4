import { describe, expect, it } from 'vitest';
import { makePki } from './pki.test-helpers.js';
import { checkSigningReadiness, type SigningOfficer } from './readiness.js';

describe('checkSigningReadiness', () => {
  const good = makePki('ec', { days: 365 });
  const soon = makePki('ec', { days: 10 });
  const enc = makePki('ec', { keyUsage: 'keyEncipherment' });
  const now = new Date();
  const unit = 'xa-thu-nghiem';
  const officer = (
    officerId: string,
    roles: SigningOfficer['roles'],
    cert: Uint8Array | null,
  ): SigningOfficer => ({
    officerId,
    unit,
    roles,
    credential: cert ? { kind: 'csc', id: `cred-${officerId}`, certificate: cert } : null,
  });

  it('finds no problem in a ready unit', () => {
    expect(
      checkSigningReadiness([officer('ct', ['chairman'], good.officerDer)], [], unit, { at: now }),
    ).toEqual([]);
  });

  it('lists missing credential, expiring and expired certificates, wrong key usage', () => {
    const officers = [
      officer('a', ['specialist'], null),
      officer('b', ['specialist'], soon.officerDer),
      officer('c', ['specialist'], enc.officerDer),
      officer('ct', ['chairman'], good.officerDer),
    ];
    const codes = checkSigningReadiness(officers, [], unit, { at: now }).map(
      (p) => `${p.officerId}:${p.code}`,
    );
    expect(codes).toEqual([
      'a:readiness.no_credential',
      'b:readiness.certificate_expiring',
      'c:readiness.key_usage',
    ]);
    const later = new Date(now.getTime() + 400 * 86_400_000);
    const codesLater = checkSigningReadiness(officers, [], unit, { at: later }).map((p) => p.code);
    expect(codesLater).toContain('readiness.certificate_expired');
    expect(codesLater).toContain('readiness.no_certified_copy_signer');
  });

  it('accepts a delegation in force and flags a lapsed one', () => {
    const officers = [
      officer('ct', ['chairman'], null),
      officer('pct', ['deputy_chairman'], good.officerDer),
    ];
    const d = (until: Date) => ({
      unit,
      to: 'pct',
      scope: 'certified_copy' as const,
      from: '2020-01-01T00:00:00+07:00',
      until: until.toISOString(),
    });
    const inForce = checkSigningReadiness(officers, [d(new Date(now.getTime() + 86_400_000))], unit, {
      at: now,
    });
    expect(inForce.map((p) => p.code)).toEqual(['readiness.no_credential']);
    const lapsed = checkSigningReadiness(officers, [d(new Date(now.getTime() - 86_400_000))], unit, {
      at: now,
    });
    expect(lapsed.map((p) => p.code)).toContain('readiness.no_certified_copy_signer');
  });
});
