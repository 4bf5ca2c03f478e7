import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument, ROUTES, type Route } from '../../worker/http/openapi.ts';

describe('the generated OpenAPI document', () => {
  it('is valid OpenAPI 3.1 (independent validator)', async () => {
    const result = await new Validator().validate(buildOpenApiDocument());
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('the validator is not a rubber stamp: a broken document fails', async () => {
    const doc = buildOpenApiDocument() as {
      paths: Record<string, Record<string, { parameters: Array<{ in: string }> }>>;
    };
    doc.paths['/v1/reports/weeks']!.get!.parameters[0]!.in = 'body'; // OpenAPI 2 style, not 3.1
    expect((await new Validator().validate(doc)).valid).toBe(false);
  });

  it('moving a route is one edit: its path parameters follow the path', () => {
    const erase = ROUTES.find((r) => r.id === 'eraseClient')!;
    const moved: Route = { ...erase, method: 'post', path: '/v1/admin/clients/erase' };
    const doc = buildOpenApiDocument([moved]) as { paths: Record<string, Record<string, { parameters?: unknown[] }>> };
    expect(Object.keys(doc.paths)).toEqual(['/v1/admin/clients/erase']);
    expect(doc.paths['/v1/admin/clients/erase']!.post!.parameters).toBeUndefined();
    expect(() => buildOpenApiDocument([{ ...erase, path: '/v1/clients/{nope}' }])).toThrow(/PATH_PARAMS/);
  });
});
