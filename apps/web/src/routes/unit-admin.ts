import { randomBytes } from 'node:crypto';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { hashPassword, type Role, type Store } from '@motcua/store';
import type { AppContext } from '../app.js';
import { type AppEnv, notFound, problem, requireRole } from '../auth.js';
import { json, problemResponses, UnitParam } from './common.js';

/** The roles a unit admin grants in their unit (a province viewer is granted by the province). */
export const UNIT_ROLES = ['receptionist', 'specialist', 'leader', 'unitAdmin'] as const;
type UnitRole = (typeof UNIT_ROLES)[number];

const UnitUser = z
  .object({
    id: z.string(),
    username: z.string(),
    fullName: z.string(),
    disabled: z.boolean(),
    /** The user's roles in this unit. */
    roles: z.array(z.enum(UNIT_ROLES)),
    /** The user also holds roles elsewhere (another unit or a province): disabling is then the province's act. */
    elsewhere: z.boolean(),
  })
  .openapi('UnitUser');
type UnitUser = z.infer<typeof UnitUser>;

const UserParams = UnitParam.extend({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }),
});
const Roles = z
  .array(z.enum(UNIT_ROLES))
  .min(1)
  .transform((r) => [...new Set(r)]);

/** A one-time password: 16 characters without look-alikes, shown once to the admin, only its hash kept. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY346789';
export const oneTimePassword = () =>
  Array.from(randomBytes(16), (b) => ALPHABET[b % ALPHABET.length]).join('');

/** The users holding a role in the unit, with their roles there. */
async function unitUsers(store: Store, unit: string, id?: string): Promise<UnitUser[]> {
  let q = store.db
    .selectFrom('users')
    .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .select(['users.id', 'username', 'full_name', 'disabled', 'role', 'unit_code'])
    .where('users.id', 'in', (sub) =>
      sub.selectFrom('user_roles').select('user_id').where('unit_code', '=', unit),
    );
  if (id) q = q.where('users.id', '=', id);
  const rows = await q.orderBy('username').execute();
  const byId = new Map<string, UnitUser>();
  for (const r of rows) {
    const u = byId.get(r.id) ?? {
      id: r.id,
      username: r.username,
      fullName: r.full_name,
      disabled: r.disabled,
      roles: [],
      elsewhere: false,
    };
    if (r.unit_code === unit) u.roles.push(r.role as UnitRole);
    else u.elsewhere = true;
    byId.set(r.id, u);
  }
  for (const u of byId.values()) u.roles.sort((a, b) => UNIT_ROLES.indexOf(a) - UNIT_ROLES.indexOf(b));
  return [...byId.values()];
}

/**
 * Screen 8's API, the unit admin's: the unit's users and their roles (list, create with a one-time password
 * shown once, change roles, disable and enable, reset the password). Only a unit admin of the unit; another
 * unit answers 404. Every change is written to the audit log.
 *
 * The unit's working hours and closures are `GET/PUT /api/units/{unit}/calendar` (src/app.ts).
 */
export function register(app: OpenAPIHono<AppEnv>, { store }: AppContext) {
  const admin = (c: Parameters<typeof requireRole>[0], unit: string) => requireRole(c, unit, ['unitAdmin']);
  const target = async (unit: string, id: string) => {
    const u = (await unitUsers(store, unit, id))[0];
    if (!u) throw notFound();
    return u;
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/units/{unit}/users',
      summary: 'The unit’s users and their roles in it (unit admin)',
      request: { params: UnitParam },
      responses: { 200: json(z.array(UnitUser)), ...problemResponses },
    }),
    async (c) => {
      const { unit } = c.req.valid('param');
      admin(c, unit);
      return c.json(await unitUsers(store, unit), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/units/{unit}/users',
      summary: 'Create a user of the unit: the one-time password is in this answer only (unit admin)',
      request: {
        params: UnitParam,
        body: {
          content: {
            'application/json': {
              schema: z.object({
                username: z
                  .string()
                  .trim()
                  .toLowerCase()
                  .regex(/^[a-z0-9][a-z0-9._-]{2,62}$/),
                fullName: z.string().trim().min(2).max(200),
                roles: Roles,
              }),
            },
          },
        },
      },
      responses: {
        201: json(z.object({ user: UnitUser, password: z.string() }), 'Created'),
        409: { description: 'The user name is taken' },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { unit } = c.req.valid('param');
      const caller = admin(c, unit);
      const body = c.req.valid('json');
      const taken = await store.db
        .selectFrom('users')
        .select('id')
        .where('username', '=', body.username)
        .executeTakeFirst();
      if (taken)
        throw problem(
          409,
          'admin.username_taken',
          'username: already taken',
          'username: tên đã có người dùng',
          {
            issues: [
              {
                path: 'username',
                code: 'admin.username_taken',
                message: { en: 'This user name is already taken', vi: 'Tên đăng nhập này đã có người dùng' },
              },
            ],
          },
        );
      const password = oneTimePassword();
      const user = await store.createUser({
        username: body.username,
        fullName: body.fullName,
        password,
        roles: body.roles.map((role) => ({ role, unitCode: unit })),
      });
      await store.audit(caller.user.id, 'admin.user.create', unit, null, {
        userId: user.id,
        roles: body.roles,
      });
      return c.json({ user: await target(unit, user.id), password }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/units/{unit}/users/{id}/roles',
      summary: 'Replace a user’s roles in the unit (unit admin; an admin cannot drop their own admin role)',
      request: {
        params: UserParams,
        body: { content: { 'application/json': { schema: z.object({ roles: Roles }) } } },
      },
      responses: { 200: json(UnitUser), 409: { description: 'Not allowed on oneself' }, ...problemResponses },
    }),
    async (c) => {
      const { unit, id } = c.req.valid('param');
      const caller = admin(c, unit);
      const { roles } = c.req.valid('json');
      const before = await target(unit, id);
      if (id === caller.user.id && !roles.includes('unitAdmin'))
        throw problem(
          409,
          'admin.self_lockout',
          'You cannot remove your own unit admin role',
          'Không thể tự bỏ vai trò quản trị của chính mình',
        );
      await store.db.transaction().execute(async (tx) => {
        await tx.deleteFrom('user_roles').where('user_id', '=', id).where('unit_code', '=', unit).execute();
        await tx
          .insertInto('user_roles')
          .values(roles.map((role: Role) => ({ user_id: id, role, unit_code: unit, province_code: null })))
          .execute();
      });
      await store.audit(caller.user.id, 'admin.user.roles', unit, null, {
        userId: id,
        from: before.roles,
        to: roles,
      });
      return c.json(await target(unit, id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/units/{unit}/users/{id}/disabled',
      summary:
        'Disable (or enable again) a user: their sessions end (unit admin; not oneself, not a user with roles elsewhere)',
      request: {
        params: UserParams,
        body: { content: { 'application/json': { schema: z.object({ disabled: z.boolean() }) } } },
      },
      responses: { 200: json(UnitUser), 409: { description: 'Not allowed' }, ...problemResponses },
    }),
    async (c) => {
      const { unit, id } = c.req.valid('param');
      const caller = admin(c, unit);
      const { disabled } = c.req.valid('json');
      const u = await target(unit, id);
      if (id === caller.user.id)
        throw problem(
          409,
          'admin.self_lockout',
          'You cannot disable yourself',
          'Không thể tự khóa tài khoản của chính mình',
        );
      if (u.elsewhere)
        throw problem(
          409,
          'admin.user_elsewhere',
          'This user also works in another unit: remove their roles here instead, or ask the province',
          'Người dùng này còn làm việc ở đơn vị khác: hãy bỏ vai trò ở đơn vị này, hoặc đề nghị cấp tỉnh',
        );
      await store.db.updateTable('users').set({ disabled }).where('id', '=', id).execute();
      if (disabled) await store.db.deleteFrom('sessions').where('user_id', '=', id).execute();
      await store.audit(caller.user.id, disabled ? 'admin.user.disable' : 'admin.user.enable', unit, null, {
        userId: id,
      });
      return c.json(await target(unit, id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/units/{unit}/users/{id}/password',
      summary: 'A new one-time password for a user of the unit, shown once (unit admin)',
      request: { params: UserParams },
      responses: { 200: json(z.object({ password: z.string() })), ...problemResponses },
    }),
    async (c) => {
      const { unit, id } = c.req.valid('param');
      const caller = admin(c, unit);
      const u = await target(unit, id);
      if (u.elsewhere)
        throw problem(
          409,
          'admin.user_elsewhere',
          'This user also works in another unit: ask the province',
          'Người dùng này còn làm việc ở đơn vị khác: hãy đề nghị cấp tỉnh',
        );
      const password = oneTimePassword();
      await store.db
        .updateTable('users')
        .set({ password_hash: await hashPassword(password) })
        .where('id', '=', id)
        .execute();
      await store.db.deleteFrom('sessions').where('user_id', '=', id).execute();
      await store.audit(caller.user.id, 'admin.user.password', unit, null, { userId: id });
      return c.json({ password }, 200);
    },
  );
}
