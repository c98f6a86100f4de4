// A vendor's appointment service: POST /appointments with the receipt time, the procedure's limit and the
// channel; the answer is the appointment and the explanation to read to the citizen, computed by
// @motcua/deadlines on the national civil-service calendar (or a commune's own, see the README).
import { createServer } from 'node:http';
import { computeAppointment } from '@motcua/deadlines';

/** The request handler: JSON in, JSON out; a bad request gets 400 with the rule that refused it. */
export function handle(body) {
  const input = JSON.parse(body);
  const r = computeAppointment({
    receivedAt: input.receivedAt,
    limit: input.limit,
    channel: input.channel ?? 'direct',
  });
  return {
    appointment: r.appointment,
    countedFrom: r.countedFrom,
    explanation: r.explanation.map((step) => step.message.vi),
  };
}

export function startAppointmentService(port = 0) {
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/appointments') {
      res.writeHead(404).end();
      return;
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      try {
        const answer = handle(body);
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(answer));
      } catch (e) {
        const problem = { code: e.code ?? 'bad_request', message: e.message };
        res
          .writeHead(400, { 'content-type': 'application/json; charset=utf-8' })
          .end(JSON.stringify(problem));
      }
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
