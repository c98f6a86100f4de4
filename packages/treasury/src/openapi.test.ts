import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { TreasuryAccountSchema } from './budget.js';
import { CreatePaymentRequestSchema, PaymentCallbackSchema, PaymentSchema } from './payments.js';
import { CollectionStatusSchema, RevenueRecordSchema } from './treasury-client.js';

const yaml = readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8');

/** The required keys and property names of `components.schemas.<name>` as written in openapi.yaml. */
function documented(name: string): { required: string[]; properties: string[] } {
  const start = yaml.indexOf(`\n    ${name}:\n`);
  expect(start, `schema ${name} in openapi.yaml`).toBeGreaterThan(0);
  const rest = yaml.slice(start + name.length + 7);
  const block = rest.slice(0, rest.search(/\n {4}\S|$/));
  const req = /required:\s*\[([^\]]*)\]/.exec(block)?.[1] ?? '';
  const props = block.slice(block.indexOf('properties:'));
  return {
    required: req
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .sort(),
    properties: [...props.matchAll(/^ {8}(\w+):/gm)].map((m) => m[1]!).sort(),
  };
}

function fromZod(schema: z.ZodObject): { required: string[]; properties: string[] } {
  const keys = Object.keys(schema.shape);
  return {
    required: keys.filter((k) => !(schema.shape[k] as z.ZodType).safeParse(undefined).success).sort(),
    properties: [...keys].sort(),
  };
}

describe('openapi.yaml', () => {
  const pairs: [string, z.ZodObject][] = [
    ['CreatePayment', CreatePaymentRequestSchema],
    ['Payment', PaymentSchema],
    ['PaymentCallback', PaymentCallbackSchema],
    ['TreasuryAccount', TreasuryAccountSchema],
    ['RevenueRecord', RevenueRecordSchema],
    ['CollectionStatus', CollectionStatusSchema],
  ];
  for (const [name, schema] of pairs)
    it(`documents ${name} with the fields and required fields of the client's schema`, () => {
      expect(documented(name)).toEqual(fromZod(schema));
    });

  it('documents the signed payment callback and every route the simulators serve', () => {
    expect(yaml).toContain('x-motcua-signature');
    expect(yaml).toMatch(/webhooks:\n {2}paymentCallback:/);
    for (const path of ['/payments:', '/payments/{id}:', '/collections:', '/collections/{id}:'])
      expect(yaml).toContain(`\n  ${path}\n`);
  });
});
