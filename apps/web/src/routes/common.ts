import { z } from '@hono/zod-openapi';
import { ChannelSchema } from '@motcua/core';

/** Schemas and helpers shared by the route modules (each module exports `register(app, ctx)`). */

export const Problem = z
  .object({
    code: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.object({ en: z.string(), vi: z.string() }),
  })
  .openapi('Problem');
export const problemResponses = {
  400: {
    description: 'Bad input: every field and rule',
    content: { 'application/problem+json': { schema: Problem } },
  },
  401: { description: 'Not signed in', content: { 'application/problem+json': { schema: Problem } } },
  403: { description: 'Wrong role', content: { 'application/problem+json': { schema: Problem } } },
  404: {
    description: 'Not found (or another commune’s)',
    content: { 'application/problem+json': { schema: Problem } },
  },
} as const;

export const UnitParam = z.object({
  unit: z
    .string()
    .regex(/^\d{5}$/)
    .openapi({ param: { name: 'unit', in: 'path' }, example: '05152' }),
});
export const IdParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

export const Dossier = z
  .object({
    id: z.string(),
    code: z.string(),
    unitCode: z.string(),
    procedureCode: z.string(),
    procedureName: z.string(),
    channel: ChannelSchema,
    receivedAt: z.string(),
    phase: z.string(),
    appointment: z.string().nullable(),
    originalAppointment: z.string().nullable(),
    classification: z.string().nullable(),
    supplementRequests: z.number(),
    eventCount: z.number(),
    assignedTo: z.string().nullable(),
    currentStep: z.string().nullable(),
    overdue: z.boolean(),
  })
  .openapi('Dossier');

/** A JSON response of `schema` for `createRoute`. */
export const json = <T extends z.ZodType>(schema: T, description = 'OK') => ({
  description,
  content: { 'application/json': { schema } },
});
