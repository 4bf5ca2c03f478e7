import { describe, expect, it } from 'vitest';
import { checkEndpointUrl } from '../../../worker/webhooks/endpoint-url.ts';
import { newEndpointId, newWebhookSecret, openSecret, sealSecret } from '../../../worker/webhooks/secret-box.ts';

describe('endpoint URLs', () => {
  it('https with a host name only; http://localhost only when local http is allowed (DEV_MODE, local CLI)', () => {
    expect(checkEndpointUrl('https://hooks.acme.example:8443/a?b=1')).toBe('https://hooks.acme.example:8443/a?b=1');
    expect(checkEndpointUrl('HTTPS://Hooks.Acme.Example/a')).toBe('https://hooks.acme.example/a');
    for (const bad of [
      'http://hooks.acme.example/',
      'https://127.0.0.1/',
      'https://[::1]/',
      'https://localhost/',
      'https://a:b@hooks.acme.example/',
      'https://hooks.acme.example/#x',
      'https://intranet/',
      'javascript:alert(1)',
      `https://${'a'.repeat(2040)}.example/`,
    ])
      expect(checkEndpointUrl(bad), bad).toBeNull();
    expect(checkEndpointUrl('http://127.0.0.1:8790/hook', { allowLocalHttp: true })).toBe('http://127.0.0.1:8790/hook');
    expect(checkEndpointUrl('http://localhost/hook', { allowLocalHttp: true })).toBe('http://localhost/hook');
    expect(checkEndpointUrl('http://hooks.acme.example/', { allowLocalHttp: true })).toBeNull();
  });
});

describe('sealed signing secrets', () => {
  it('open only with the same Worker secret and endpoint id; each seal differs', async () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const id = newEndpointId();
    expect(id).toMatch(/^we_[0-9a-f]{16}$/);
    const worker = 'worker-secret-0123456789abcdef';
    const box = await sealSecret(worker, id, secret);
    expect(box).not.toContain(secret.slice(6));
    expect(await sealSecret(worker, id, secret)).not.toBe(box);
    expect(await openSecret(worker, id, box)).toBe(secret);
    await expect(openSecret(`${worker}x`, id, box)).rejects.toThrow();
    await expect(openSecret(worker, newEndpointId(), box)).rejects.toThrow();
    await expect(openSecret(worker, id, secret)).rejects.toThrow(/sealed/);
  });
});

describe('endpoint host names that name this machine or a private network', () => {
  it('are refused like localhost: *.localhost, *.local, *.internal, *.arpa, *.localdomain (any case, trailing dot)', () => {
    for (const bad of [
      'https://a.localhost/',
      'https://hooks.LOCALHOST/',
      'https://printer.local/',
      'https://metadata.google.internal/',
      'https://x.home.arpa/',
      'https://1.0.0.127.in-addr.arpa/',
      'https://localhost.localdomain/',
      'https://a.localhost./',
    ])
      expect(checkEndpointUrl(bad), bad).toBeNull();
    // Ordinary names that merely contain those words are fine.
    for (const good of [
      'https://local.hooks.example/',
      'https://localhost-hooks.example/',
      'https://internal.acme.io/',
    ])
      expect(checkEndpointUrl(good), good).toBe(good);
    // Local http for the demo is unchanged, and still only for localhost and 127.0.0.1 themselves.
    expect(checkEndpointUrl('http://a.localhost/hook', { allowLocalHttp: true })).toBeNull();
  });
});
