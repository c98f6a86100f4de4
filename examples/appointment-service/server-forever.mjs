// Runs the appointment service until stopped (Ctrl+C): PORT=8080 node server-forever.mjs
import { startAppointmentService } from './server.mjs';

const server = await startAppointmentService(Number(process.env.PORT ?? 8080));
console.log(`appointments: POST http://127.0.0.1:${server.address().port}/appointments`);
