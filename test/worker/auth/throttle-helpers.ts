// Requests from a chosen address, and a well-formed token whose key no platform has: the failure throttle's tests.
import { exports } from 'cloudflare:workers';
import { SignJWT } from 'jose';

/** GET through the Worker with a bearer credential, as sent from `ip`. */
export function getFrom(path: string, ip: string, bearer: string): Promise<Response> {
  return exports.default.fetch(
    new Request(`https://api.attune.test${path}`, {
      headers: { Authorization: `Bearer ${bearer}`, 'CF-Connecting-IP': ip },
    }),
  );
}

/** A client token signed with a key named `kid` that is not stored: a failed credential that costs a lookup. */
export function unknownKidToken(kid = `nokid-${crypto.randomUUID()}`): Promise<string> {
  return new SignJWT({ role: 'client', sid: 's', tid: 't', cid: 'c' })
    .setProtectedHeader({ alg: 'HS256', kid })
    .setIssuer('plt_x')
    .setAudience('attune')
    .setSubject('c')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode('x'.repeat(32)));
}
