import { createWorkCalendar, defaultWorkCalendar, type WorkCalendar } from '@motcua/calendar';
import { naming, readJson } from './io.js';

/** The work calendar from `--calendar <file.json>` (the calendar package's JSON config), or the national default. */
export function calendarFrom(path: string | undefined): WorkCalendar {
  if (path === undefined) return defaultWorkCalendar;
  const config = readJson(path) as Parameters<typeof createWorkCalendar>[0];
  return naming(`--calendar ${path}`, () => createWorkCalendar(config));
}
