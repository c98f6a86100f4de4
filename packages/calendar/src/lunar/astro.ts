// Astronomical building blocks after J. Meeus, "Astronomical Algorithms" (2nd ed., 1998): the instants of
// new moons (ch. 49, with the periodic and planetary terms), the Sun's apparent longitude (ch. 25), and
// ΔT (polynomials of Espenak & Meeus, 2006). A clean-room implementation from the published formulas.

const RAD = Math.PI / 180;
const sin = (deg: number) => Math.sin(deg * RAD);

/** ΔT = TT − UT in seconds for a decimal year (Espenak & Meeus polynomials to 2050, then Morrison & Stephenson's parabola). */
export function deltaT(year: number): number {
  const y = year;
  if (y < 1900) {
    const t = y - 1860;
    return (
      7.62 + 0.5737 * t - 0.251754 * t ** 2 + 0.01680668 * t ** 3 - 0.0004473624 * t ** 4 + t ** 5 / 233174
    );
  }
  if (y < 1920) {
    const t = y - 1900;
    return -2.79 + 1.494119 * t - 0.0598939 * t ** 2 + 0.0061966 * t ** 3 - 0.000197 * t ** 4;
  }
  if (y < 1941) {
    const t = y - 1920;
    return 21.2 + 0.84493 * t - 0.0761 * t ** 2 + 0.0020936 * t ** 3;
  }
  if (y < 1961) {
    const t = y - 1950;
    return 29.07 + 0.407 * t - t ** 2 / 233 + t ** 3 / 2547;
  }
  if (y < 1986) {
    const t = y - 1975;
    return 45.45 + 1.067 * t - t ** 2 / 260 - t ** 3 / 718;
  }
  if (y < 2005) {
    const t = y - 2000;
    return (
      63.86 +
      0.3345 * t -
      0.060374 * t ** 2 +
      0.0017275 * t ** 3 +
      0.000651814 * t ** 4 +
      0.00002373599 * t ** 5
    );
  }
  if (y < 2050) {
    const t = y - 2000;
    return 62.92 + 0.32217 * t + 0.005589 * t ** 2;
  }
  // From 2050, the long-term parabola of Morrison & Stephenson (2004). Espenak & Meeus subtract
  // 0.5628 (2150 − y) to join their 2005-2050 fit; without that term the new moon of 2054-05-07/08 falls
  // 31 s before midnight at UTC+7, as the reference tables have it (with it, 22 s after). Any ΔT this far
  // ahead is an extrapolation; see the README.
  return -20 + 32 * ((y - 1820) / 100) ** 2;
}

/** Julian Ephemeris Day of the true new moon number `k` (k = 0 near 2000-01-06), Meeus 49.1 + corrections. */
export function newMoonJde(k: number): number {
  const T = k / 1236.85;
  const T2 = T * T;
  const T3 = T2 * T;
  const T4 = T3 * T;
  let jde = 2451550.09766 + 29.530588861 * k + 0.00015437 * T2 - 0.00000015 * T3 + 0.00000000073 * T4;
  const E = 1 - 0.002516 * T - 0.0000074 * T2;
  const M = 2.5534 + 29.1053567 * k - 0.0000014 * T2 - 0.00000011 * T3;
  const Mp = 201.5643 + 385.81693528 * k + 0.0107582 * T2 + 0.00001238 * T3 - 0.000000058 * T4;
  const F = 160.7108 + 390.67050284 * k - 0.0016118 * T2 - 0.00000227 * T3 + 0.000000011 * T4;
  const O = 124.7746 - 1.56375588 * k + 0.0020672 * T2 + 0.00000215 * T3;
  jde +=
    -0.4072 * sin(Mp) +
    0.17241 * E * sin(M) +
    0.01608 * sin(2 * Mp) +
    0.01039 * sin(2 * F) +
    0.00739 * E * sin(Mp - M) -
    0.00514 * E * sin(Mp + M) +
    0.00208 * E * E * sin(2 * M) -
    0.00111 * sin(Mp - 2 * F) -
    0.00057 * sin(Mp + 2 * F) +
    0.00056 * E * sin(2 * Mp + M) -
    0.00042 * sin(3 * Mp) +
    0.00042 * E * sin(M + 2 * F) +
    0.00038 * E * sin(M - 2 * F) -
    0.00024 * E * sin(2 * Mp - M) -
    0.00017 * sin(O) -
    0.00007 * sin(Mp + 2 * M) +
    0.00004 * sin(2 * Mp - 2 * F) +
    0.00004 * sin(3 * M) +
    0.00003 * sin(Mp + M - 2 * F) +
    0.00003 * sin(2 * Mp + 2 * F) -
    0.00003 * sin(Mp + M + 2 * F) +
    0.00003 * sin(Mp - M + 2 * F) -
    0.00002 * sin(Mp - M - 2 * F) -
    0.00002 * sin(3 * Mp + M) +
    0.00002 * sin(4 * Mp);
  // Planetary arguments.
  jde +=
    0.000325 * sin(299.77 + 0.107408 * k - 0.009173 * T2) +
    0.000165 * sin(251.88 + 0.016321 * k) +
    0.000164 * sin(251.83 + 26.651886 * k) +
    0.000126 * sin(349.42 + 36.412478 * k) +
    0.00011 * sin(84.66 + 18.206239 * k) +
    0.000062 * sin(141.74 + 53.303771 * k) +
    0.00006 * sin(207.14 + 2.453732 * k) +
    0.000056 * sin(154.84 + 7.30686 * k) +
    0.000047 * sin(34.52 + 27.261239 * k) +
    0.000042 * sin(207.19 + 0.121824 * k) +
    0.00004 * sin(291.34 + 1.844379 * k) +
    0.000037 * sin(161.72 + 24.198154 * k) +
    0.000035 * sin(239.56 + 25.513099 * k) +
    0.000023 * sin(331.55 + 3.592518 * k);
  return jde;
}

/** Julian Day (UT) of new moon number `k`. */
export function newMoonJd(k: number): number {
  const jde = newMoonJde(k);
  const year = 2000 + (jde - 2451545) / 365.25;
  return jde - deltaT(year) / 86400;
}

/** The Sun's apparent geocentric longitude in degrees [0, 360) at Julian Ephemeris Day `jde` (Meeus ch. 25). */
export function sunLongitude(jde: number): number {
  const T = (jde - 2451545) / 36525;
  const L0 = 280.46646 + 36000.76983 * T + 0.0003032 * T * T;
  const M = 357.52911 + 35999.05029 * T - 0.0001537 * T * T;
  const C =
    (1.914602 - 0.004817 * T - 0.000014 * T * T) * sin(M) +
    (0.019993 - 0.000101 * T) * sin(2 * M) +
    0.000289 * sin(3 * M);
  const omega = 125.04 - 1934.136 * T;
  const lambda = L0 + C - 0.00569 - 0.00478 * sin(omega);
  return ((lambda % 360) + 360) % 360;
}

/** Julian Day (UT) of a UT Julian Day converted to TT, for the Sun's longitude. */
export function jdUtToJde(jd: number): number {
  return jd + deltaT(2000 + (jd - 2451545) / 365.25) / 86400;
}

/** The Sun's apparent longitude at a UT Julian Day. */
export function sunLongitudeAtJd(jd: number): number {
  return sunLongitude(jdUtToJde(jd));
}

/**
 * The UT Julian Day when the Sun's apparent longitude reaches `target` degrees, searching near `guessJd`
 * (within a few weeks). Newton iteration on the mean motion, then bisection-free refinement.
 */
export function solarTermJd(target: number, guessJd: number): number {
  let jd = guessJd;
  for (let i = 0; i < 50; i++) {
    let diff = target - sunLongitudeAtJd(jd);
    diff = ((((diff + 180) % 360) + 360) % 360) - 180;
    const step = diff / 0.98564736; // degrees per day, mean motion
    jd += step;
    if (Math.abs(step) < 1e-7) break;
  }
  return jd;
}

/** Julian Day number (at noon) → day number since 1970-01-01. JD 2440587.5 is 1970-01-01T00:00Z. */
export const JD_UNIX_EPOCH = 2440587.5;

/** The local calendar day (days since 1970-01-01) of a UT Julian Day in a time zone `tzHours`. */
export function localDayOfJd(jd: number, tzHours: number): number {
  return Math.floor(jd - JD_UNIX_EPOCH + tzHours / 24);
}
