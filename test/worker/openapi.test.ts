import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { PacingAggregates, SessionSummary, Trend, TrendPoint } from '../../schemas/index.ts';
import { call, seedPlatform } from './helpers.ts';

type Doc = {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, { required?: string[]; properties?: Record<string, unknown> }> };
};

describe('GET /openapi.json', () => {
  it('is served as JSON', async () => {
    const res = await call('/openapi.json');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { openapi: string }).openapi).toBe('3.1.0');
  });

  it('every documented operation exists (authenticated, it is not a 404 or 405)', async () => {
    const doc = await (await call('/openapi.json')).json<Doc>();
    const p = await seedPlatform();
    const token = await p.mint({ role: 'therapist', sid: 'doc-sid' });
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => [path, m.toUpperCase()] as const));
    expect(ops.length).toBe(10);
    for (const [path, method] of ops) {
      expect(path, 'no path parameter: refs never go in a URL').not.toMatch(/\{/);
      const res = await call(path, { method, token });
      expect([404, 405], `${method} ${path}`).not.toContain(res.status);
    }
  });

  it('its schemas list the same fields as the valibot schemas', async () => {
    const doc = await (await call('/openapi.json')).json<Doc>();
    expect(doc.components.schemas.PacingAggregates!.required!.sort()).toEqual(Object.keys(PacingAggregates.entries).sort());
    expect(Object.keys(doc.components.schemas.PacingAggregates!.properties!).sort()).toEqual(Object.keys(PacingAggregates.entries).sort());
    const required = (entries: Record<string, { type: string }>) => Object.keys(entries).filter((k) => entries[k]!.type !== 'optional').sort();
    for (const [name, schema] of [['SessionSummary', SessionSummary], ['Trend', Trend], ['TrendPoint', TrendPoint]] as const) {
      expect(doc.components.schemas[name]!.required!.sort(), name).toEqual(required(schema.entries));
      expect(Object.keys(doc.components.schemas[name]!.properties!).sort(), name).toEqual(Object.keys(schema.entries).sort());
    }
    expect(v.is(SessionSummary, { status: 'pending', instrument: null, items: [], total: null, maxTotal: null, flags: [], ratedAt: null, pacing: null })).toBe(true);
  });
});
