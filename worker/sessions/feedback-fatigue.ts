import type { AskSetting } from '../../schemas/index.ts';

/** A uniform number in [0, 1) from a session hash (base64url of an HMAC): the same for both roles, every time. */
export function uniformOf(sidHash: string): number {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let x = 0;
  for (const ch of sidHash.slice(0, 8)) x = x * 64 + Math.max(0, alphabet.indexOf(ch));
  return x / 64 ** 8;
}

/**
 * Whether the client is asked to rate this session. 'every': always. 'share': when the session hash's uniform
 * number falls below the share. 'nth': the client's 1st, (n+1)th, (2n+1)th... session with this therapist
 * (`index` = how many of the client's sessions with them came before this one: their sessions with other therapists
 * must not show in this therapist's summary).
 */
export function shouldAsk(setting: AskSetting, sidHash: string, index: number): boolean {
  switch (setting.mode) {
    case 'every':
      return true;
    case 'share':
      return uniformOf(sidHash) < setting.share;
    case 'nth':
      return index % setting.n === 0;
  }
}
