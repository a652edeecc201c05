import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { responseSerializer } from './response-schemas.ts';

const schema = z.object({ id: z.number(), name: z.string().nullable() });
const route = { schema, method: 'GET', url: '/api/v1/x', httpStatus: '200' } as Parameters<ReturnType<typeof responseSerializer>>[0];

describe('response schemas', () => {
  it('writes the response as returned, with or without the check', () => {
    for (const check of [false, true]) {
      const write = responseSerializer(check)(route);
      // An extra field is kept (a schema never strips what a client saw before it was declared).
      expect(write({ id: 1, name: null, extra: 'x' })).toBe('{"id":1,"name":null,"extra":"x"}');
    }
  });

  it('fails a response that drifted from its schema only when checking', () => {
    expect(() => responseSerializer(true)(route)({ id: '1', name: 'a' })).toThrow(/GET \/api\/v1\/x does not match its schema: id:/);
    expect(responseSerializer(false)(route)({ id: '1', name: 'a' })).toBe('{"id":"1","name":"a"}');
  });
});
