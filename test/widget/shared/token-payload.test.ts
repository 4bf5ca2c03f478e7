import { base64url } from 'jose';
import { expect, it } from 'vitest';
import { tokenPayload } from '../../../widget/shared/token-payload.ts';

const b64url = (s: string) => base64url.encode(s);

it('decodes a base64url payload without padding, UTF-8 included', () => {
  const token = `h.${b64url(JSON.stringify({ sid: 'séance-1?', exp: 123 }))}.sig`;
  expect(tokenPayload(token)).toEqual({ sid: 'séance-1?', exp: 123 });
});

it('answers null for anything that is not a token payload object', () => {
  for (const bad of ['', 'nodots', 'a.!!!.c', `a.${b64url('[1,2]').slice(0, 0)}.c`, `a.${b64url('"text"')}.c`]) {
    expect(tokenPayload(bad)).toBeNull();
  }
});
