import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { MotcuaError, maskIdentifier, PersonalIdSchema } from '@motcua/core';
import { convertAddress, formatAddress, getUnit } from '@motcua/units';
import type { AppContext } from '../app.js';
import { type AppEnv, problem, requireCaller, requireRole } from '../auth.js';
import { json, problemResponses, UnitParam } from './common.js';

const Address = z.object({ detail: z.string(), communeCode: z.string(), provinceCode: z.string() });

const unitName = (code: string) => {
  try {
    return getUnit(code)?.fullName ?? code;
  } catch {
    return code;
  }
};

/**
 * The reception desk's look-ups: the applicant from the National Population Database (the officer states
 * the legal purpose; the call and the masked ID go to the audit log, never the data), and an address typed
 * old or new converted to the two-level units by @motcua/units, with the candidates to choose among when
 * an old commune was split. Personal data travels in request bodies, so it never reaches the request log.
 */
export function register(app: OpenAPIHono<AppEnv>, { store, integrations }: AppContext) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/units/{unit}/population/lookup',
      summary:
        'The applicant from the population database, for the desk to fill the form (receptionist, unit admin; audited with the purpose)',
      request: {
        params: UnitParam,
        body: {
          content: {
            'application/json': {
              schema: z.object({ personalId: PersonalIdSchema, purpose: z.string().trim().min(3).max(200) }),
            },
          },
        },
      },
      responses: {
        200: json(
          z.object({
            personalId: z.string(),
            fullName: z.string(),
            dateOfBirth: z.string(),
            sex: z.enum(['male', 'female']),
            address: Address,
            addressText: z.string(),
          }),
        ),
        503: { description: 'The population database is not configured or unreachable' },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { unit } = c.req.valid('param');
      const caller = requireRole(c, unit, ['receptionist', 'unitAdmin']);
      const { personalId, purpose } = c.req.valid('json');
      const masked = maskIdentifier(personalId, 3, 3);
      if (!integrations?.population)
        throw problem(
          503,
          'population.unavailable',
          'The population database is not connected: type the applicant in',
          'Chưa kết nối Cơ sở dữ liệu quốc gia về dân cư: vui lòng nhập thông tin người nộp',
        );
      let citizen: Awaited<ReturnType<typeof integrations.population.getCitizen>>;
      try {
        citizen = await integrations.population.getCitizen(personalId, {
          purpose,
          officerId: caller.user.id,
        });
      } catch (e) {
        const status = (e as { status?: number }).status;
        await store.audit(caller.user.id, 'population.lookup', unit, null, {
          purpose,
          personalId: masked,
          result: status === 404 ? 'notFound' : 'failed',
        });
        if (status === 404)
          throw problem(
            404,
            'population.not_found',
            'No citizen with this personal ID number',
            'Không tìm thấy công dân có số định danh này',
            {
              issues: [
                {
                  path: 'personalId',
                  code: 'population.not_found',
                  message: {
                    en: 'No citizen with this number in the population database',
                    vi: 'Không có công dân mang số này trong cơ sở dữ liệu dân cư',
                  },
                },
              ],
            },
          );
        if (e instanceof MotcuaError)
          throw problem(
            503,
            'population.unavailable',
            'The population database did not answer: type the applicant in, or try again',
            'Cơ sở dữ liệu dân cư không phản hồi: vui lòng nhập tay hoặc thử lại',
          );
        throw e;
      }
      await store.audit(caller.user.id, 'population.lookup', unit, null, {
        purpose,
        personalId: masked,
        result: 'found',
      });
      let addressText: string;
      try {
        addressText = formatAddress({
          rest: citizen.permanentAddress.detail,
          communeCode: citizen.permanentAddress.communeCode,
        });
      } catch {
        addressText = `${citizen.permanentAddress.detail}, ${unitName(citizen.permanentAddress.communeCode)}`;
      }
      return c.json(
        {
          personalId: citizen.personalId,
          fullName: citizen.fullName,
          dateOfBirth: citizen.dateOfBirth,
          sex: citizen.sex,
          address: citizen.permanentAddress,
          addressText,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/address/convert',
      summary:
        'An address typed old (before 1 July 2025, with a district) or new, as the new two-level units: candidates best first, ambiguous when the officer must choose',
      request: {
        body: {
          content: { 'application/json': { schema: z.object({ text: z.string().trim().min(3).max(500) }) } },
        },
      },
      responses: {
        200: json(
          z.object({
            ambiguous: z.boolean(),
            rest: z.string(),
            reason: z.string().optional(),
            candidates: z.array(
              z.object({
                code: z.string(),
                name: z.string(),
                provinceCode: z.string(),
                provinceName: z.string(),
                confidence: z.number(),
                reason: z.string(),
                /** The whole address on the new units, ready for the form. */
                formatted: z.string(),
              }),
            ),
          }),
        ),
        ...problemResponses,
      },
    }),
    async (c) => {
      requireCaller(c);
      const r = convertAddress(c.req.valid('json').text);
      return c.json(
        {
          ambiguous: r.ambiguous,
          rest: r.rest,
          ...(r.reason ? { reason: r.reason } : {}),
          candidates: r.candidates.slice(0, 8).map((k) => ({
            ...k,
            provinceName: unitName(k.provinceCode),
            formatted: formatAddress({ rest: r.rest, communeCode: k.code }),
          })),
        },
        200,
      );
    },
  );
}
