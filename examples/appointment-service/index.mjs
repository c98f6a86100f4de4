// Starts the service on a free port, asks it for two appointments as a client would, and stops.
// `node server-forever.mjs` (or PORT=8080 node server-forever.mjs) keeps it running instead.
import { startAppointmentService } from './server.mjs';

const server = await startAppointmentService();
const url = `http://127.0.0.1:${server.address().port}/appointments`;

async function ask(input) {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(input) });
  return { status: res.status, body: await res.json() };
}

// A birth registration received on Friday 13 February 2026 at 10:00, before Tết Bính Ngọ: 3 working days.
const birth = await ask({
  receivedAt: '2026-02-13T10:00:00+07:00',
  limit: { unit: 'workingDays', value: 3 },
  channel: 'direct',
});
console.log(`${birth.status} appointment ${birth.body.appointment}`);
for (const line of birth.body.explanation) console.log(`  ${line}`);

// A limit that is not one the law knows is refused with the rule.
const bad = await ask({ receivedAt: '2026-02-13T10:00:00+07:00', limit: { unit: 'fortnights', value: 1 } });
console.log(`${bad.status} ${bad.body.code}`);

server.close();
