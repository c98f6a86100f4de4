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
    // In force (ending tomorrow, hence the warning): someone can sign certified copies.
    expect(inForce.map((p) => p.code)).toEqual(['readiness.no_credential', 'readiness.delegation_expiring']);
    const lapsed = checkSigningReadiness(officers, [d(new Date(now.getTime() - 86_400_000))], unit, {
      at: now,
    });
    expect(lapsed.map((p) => p.code)).toContain('readiness.no_certified_copy_signer');
  });

  it('names a lapsed delegation, and one that ends within 30 days, when the chairman cannot sign', () => {
    const officers = [
      officer('ct', ['chairman'], null),
      officer('pct', ['deputy_chairman'], good.officerDer),
    ];
    const d = (from: Date, until: Date) => ({
      unit,
      to: 'pct',
      scope: 'certified_copy' as const,
      from: from.toISOString(),
      until: until.toISOString(),
    });
    const day = 86_400_000;
    const lapsed = checkSigningReadiness(
      officers,
      [d(new Date(now.getTime() - 90 * day), new Date(now.getTime() - 3 * day))],
      unit,
      { at: now },
    );
    expect(lapsed.map((p) => `${p.officerId}:${p.code}`)).toEqual([
      'ct:readiness.no_credential',
      'pct:readiness.delegation_lapsed',
      'null:readiness.no_certified_copy_signer',
    ]);
    expect(lapsed[1]?.vi).toMatch(
      /Ủy quyền ký bản sao chứng thực của chủ tịch đã hết hạn ngày \d{2}\/\d{2}\/\d{4}/,
    );
    const ending = checkSigningReadiness(
      officers,
      [d(new Date(now.getTime() - day), new Date(now.getTime() + 10 * day))],
      unit,
      { at: now },
    );
    expect(ending.map((p) => `${p.officerId}:${p.code}`)).toEqual([
      'ct:readiness.no_credential',
      'pct:readiness.delegation_expiring',
    ]);
    // No delegation ever given: only the unit-level problem.
    const none = checkSigningReadiness(officers, [], unit, { at: now });
    expect(none.map((p) => p.code)).toEqual([
      'readiness.no_credential',
      'readiness.no_certified_copy_signer',
    ]);
    // A ready chairman: delegations do not matter.
    const ready = [officer('ct', ['chairman'], good.officerDer)];
    expect(
      checkSigningReadiness(
        ready,
        [d(new Date(now.getTime() - 90 * day), new Date(now.getTime() - day))],
        unit,
        {
          at: now,
        },
      ),
    ).toEqual([]);
  });

  it('an assignment not in force (ended or not yet started) makes the officer not ready', () => {
    const ended: SigningOfficer = {
      ...officer('ct', ['chairman'], good.officerDer),
      validUntil: new Date(now.getTime() - 86_400_000).toISOString(),
    };
    const problems = checkSigningReadiness([ended], [], unit, { at: now });
    expect(problems.map((p) => `${p.officerId}:${p.code}`)).toEqual([
      'ct:readiness.assignment_not_in_force',
      'null:readiness.no_certified_copy_signer',
    ]);
    expect(problems[0]?.vi).toMatch(/đã hết hiệu lực từ ngày/);
    const future: SigningOfficer = {
      ...officer('ct', ['chairman'], good.officerDer),
      validFrom: new Date(now.getTime() + 86_400_000).toISOString(),
    };
    expect(checkSigningReadiness([future], [], unit, { at: now })[0]?.en).toMatch(/only starts on/);
  });

  it('a malformed registry is a signature.invalid_input naming the field', () => {
    const bad = [{ officerId: 'x', unit, roles: ['mayor'], credential: null }] as unknown as SigningOfficer[];
    expect(() => checkSigningReadiness(bad, [], unit, { at: now })).toThrow(
      expect.objectContaining({ code: 'signature.invalid_input', details: { field: 'officers.0.roles.0' } }),
    );
    const badDelegation = [{ unit, to: 'x', scope: 'certified_copy', from: 'yesterday', until: 'never' }];
    expect(() => checkSigningReadiness([], badDelegation as never, unit, { at: now })).toThrow(
      expect.objectContaining({ code: 'signature.invalid_input', details: { field: 'delegations.0.from' } }),
    );
    expect(() => checkSigningReadiness([], [], unit, { at: new Date('x') })).toThrow(
      expect.objectContaining({ details: { field: 'at' } }),
    );
  });
});
