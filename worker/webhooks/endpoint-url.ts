/** Special-use top-level domains whose names resolve to this machine or a private network. */
const LOCAL_TLDS = new Set(['localhost', 'local', 'internal', 'arpa', 'localdomain']);

/**
 * Which URLs an endpoint may have: https, a host name (no IP literal, no credentials, no fragment), at most 2048
 * characters. With `allowLocalHttp` (DEV_MODE, or the CLI writing to local D1) also http://localhost and
 * http://127.0.0.1, for the local demo and tests. A name under a special-use top-level domain that resolves locally
 * (*.localhost, *.local, *.internal, *.arpa, *.localdomain) is refused like an IP literal. Returns the URL normalised,
 * or null: callers answer with their own fixed message (the input is never echoed).
 */
export function checkEndpointUrl(input: string, options: { allowLocalHttp?: boolean } = {}): string | null {
  if (input.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return null;
  }
  if (url.username || url.password || url.hash) return null;
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  if (url.protocol === 'http:') return options.allowLocalHttp && local ? url.href : null;
  if (url.protocol !== 'https:') return null;
  if (local && !options.allowLocalHttp) return null;
  // A DNS name with a dot (or localhost in dev): no IP literals, no single-label intranet names.
  if (!local && !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(url.hostname)) return null;
  // RFC 6761 (.localhost), 6762 (.local), 8375 (home.arpa), ICANN's .internal; .localdomain from /etc/hosts habits.
  if (!local && LOCAL_TLDS.has(url.hostname.slice(url.hostname.lastIndexOf('.') + 1))) return null;
  return url.href;
}
