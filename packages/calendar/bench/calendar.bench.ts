import { addBusinessDays } from 'date-fns';
import Holidays from 'date-holidays';
import { bench, describe } from 'vitest';
import { defaultWorkCalendar as cal, solarToLunar, toInstant } from '../src/index.js';
import { oracleAdd, oracleBetween } from '../test/oracle.js';

let seed = 7;
const rnd = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4_294_967_296;
};
const N = 4096;
const START = Date.parse('2019-01-01T00:00:00+07:00');
const starts = Array.from({ length: N }, () => START + Math.floor(rnd() * 6 * 365 * 1440) * 60_000);
const durations = Array.from({ length: N }, () => Math.floor(rnd() * 60 * 480));
const spans = Array.from({ length: N }, (_, i) => starts[i]! + Math.floor(rnd() * 5 * 365 * 1440) * 60_000);
const isoStarts = starts.map(toInstant);
const dates = starts.map((ms) => toInstant(ms).slice(0, 10));
let i = 0;

describe('addWorkingTime: random durations up to 60 working days', () => {
  bench('addWorkingMinutesMs (epoch ms)', () => {
    const k = i++ & (N - 1);
    cal.addWorkingMinutesMs(starts[k]!, durations[k]!);
  });
  bench('addWorkingTime (ISO strings in and out)', () => {
    const k = i++ & (N - 1);
    cal.addWorkingTime(isoStarts[k]!, { minutes: durations[k]! });
  });
  bench('oracle (day by day)', () => {
    const k = i++ & (N - 1);
    oracleAdd(cal, starts[k]!, durations[k]!);
  });
});

describe('workingTimeBetween: spans up to 5 years', () => {
  bench('workingMinutesBetweenMs', () => {
    const k = i++ & (N - 1);
    cal.workingMinutesBetweenMs(starts[k]!, spans[k]!);
  });
  bench('oracle (day by day)', () => {
    const k = i++ & 63;
    oracleBetween(cal, starts[k]!, spans[k]!);
  });
});

describe('solarToLunar', () => {
  bench('solarToLunar', () => {
    solarToLunar(dates[i++ & (N - 1)]!);
  });
});

describe('add 15 working days: other libraries', () => {
  const hd = new Holidays('VN');
  bench('@motcua/calendar addWorkingDays', () => {
    cal.addWorkingDays(dates[i++ & (N - 1)]!, 15);
  });
  bench('date-holidays, checking day by day (no make-up days or swaps)', () => {
    let d = new Date(starts[i++ & (N - 1)]!);
    let n = 0;
    while (n < 15) {
      d = new Date(d.getTime() + 86_400_000);
      const wd = d.getUTCDay();
      if (wd !== 0 && wd !== 6 && !hd.isHoliday(d)) n++;
    }
  });
  bench('date-fns addBusinessDays (ignores holidays)', () => {
    addBusinessDays(new Date(starts[i++ & (N - 1)]!), 15);
  });
});
