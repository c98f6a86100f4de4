/** Property-test run count: modest by default, scaled by MOTCUA_PROPERTY_RUNS for the full run. */
export function propertyRuns(defaultRuns: number): number {
  const v = Number(process.env.MOTCUA_PROPERTY_RUNS);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : defaultRuns;
}
