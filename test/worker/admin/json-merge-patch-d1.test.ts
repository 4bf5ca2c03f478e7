// `npm run platform -- settings` checks what a patch leaves with jsonMergePatch (scripts/json-merge-patch.ts) and
// then writes it with D1's json_patch: the two must agree, or the check would pass settings D1 then stores otherwise.
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonMergePatch } from '../../../scripts/json-merge-patch.ts';

const json = fc.jsonValue({ maxDepth: 3 });

describe('jsonMergePatch agrees with D1’s json_patch', () => {
  it('on random JSON documents and patches', async () => {
    await fc.assert(
      fc.asyncProperty(json, json, async (target, patch) => {
        const row = await env.DB.prepare('SELECT json_patch(?1, ?2) AS out')
          .bind(JSON.stringify(target), JSON.stringify(patch))
          .first<{ out: string | null }>();
        // As JSON text, which is what is stored (-0 is written 0).
        expect(JSON.parse(row?.out ?? 'null')).toEqual(JSON.parse(JSON.stringify(jsonMergePatch(target, patch))));
      }),
      { numRuns: 300 },
    );
  });
});
