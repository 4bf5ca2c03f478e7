import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

describe('health', () => {
  it('answers', async () => {
    const res = await exports.default.fetch('http://x/v1/health');
    expect(res.status).toBe(200);
    const row = await env.DB.prepare("SELECT name FROM sqlite_master WHERE name = 'meta'").first();
    expect(row).not.toBeNull();
  });
});
