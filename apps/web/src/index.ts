// @motcua/web: the reference back end (server side). Re-exports only.
export { backup, createUser, migrate, restore } from './admin.js';
export { type AppContext, createApp, EVENT_ROLES } from './app.js';
export { configFromEnv, type ServerConfig, type ServerConfigInput, ServerConfigSchema } from './config.js';
export { DEMO_PASSWORD, DEMO_UNITS, demoUsers, seedDemo } from './demo.js';
export { LETTERS, type LetterKind, letterPdf, receiptPdf } from './forms.js';
export { jsonLogger, type Logger, maskText, silentLogger } from './log.js';
export { banner, type RunningServer, startServer } from './server.js';
