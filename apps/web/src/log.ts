/** Structured JSON logs, one line each, personal data masked. */
export interface Logger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

/** Masks personal ID numbers (12 digits), old ID numbers (9) and phone numbers (10) in free text. */
export function maskText(text: string): string {
  return text
    .replace(/\b\d{12}\b/g, (m) => `${m.slice(0, 3)}******${m.slice(-3)}`)
    .replace(/\b0\d{9}\b/g, (m) => `${m.slice(0, 3)}****${m.slice(-3)}`)
    .replace(/\b\d{9}\b/g, (m) => `${m.slice(0, 2)}*****${m.slice(-2)}`);
}

/** A logger writing JSON lines to a stream (stdout by default); `silent` for tests. */
export function jsonLogger(write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  const out = (level: string, message: string, data?: Record<string, unknown>) =>
    write(`${maskText(JSON.stringify({ time: new Date().toISOString(), level, message, ...data }))}\n`);
  return {
    info: (m, d) => out('info', m, d),
    warn: (m, d) => out('warn', m, d),
    error: (m, d) => out('error', m, d),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
