import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppContext } from '../app.js';
import type { AppEnv } from '../auth.js';
import { register as desk } from './desk.js';
import { register as province } from './province.js';
import { register as unitAdmin } from './unit-admin.js';

/** The unit admin's screen, the province roll-up and the reception desk's look-ups (one entry in app.ts). */
export function register(app: OpenAPIHono<AppEnv>, ctx: AppContext) {
  unitAdmin(app, ctx);
  province(app, ctx);
  desk(app, ctx);
}
