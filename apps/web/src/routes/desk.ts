import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppContext } from '../app.js';
import type { AppEnv } from '../auth.js';

/** The reception desk's look-ups (population data, address conversion). */
export function register(_app: OpenAPIHono<AppEnv>, _ctx: AppContext) {}
