import type { UnitTreasuryConfig } from '@motcua/store';

/**
 * A unit's treasury configuration as the app stores it, in the shape @motcua/treasury takes
 * (`revenueRecord`, `treasuryReadiness`): the unit's own account and the province's designated one only when
 * there is one. The chapter and the collecting agency must be known: the worker refuses a unit without them,
 * the readiness report passes placeholders and says they are missing.
 *
 * @example
 * ```ts
 * const config = await store.fees.treasuryConfig('05152');
 * if (config?.chapter && config.collectingAgency)
 *   revenueRecord(collection, treasuryUnitConfig({ ...config, chapter: config.chapter, collectingAgency: config.collectingAgency }));
 * ```
 */
export function treasuryUnitConfig(t: UnitTreasuryConfig & { chapter: string; collectingAgency: string }) {
  return {
    unitCode: t.unitCode,
    unitName: t.unitName,
    chapter: t.chapter,
    collectingAgency: t.collectingAgency,
    ...(t.account ? { account: t.account } : {}),
    ...(t.provinceDesignatedAccount ? { provinceDesignatedAccount: t.provinceDesignatedAccount } : {}),
    subItems: t.subItems,
  };
}
