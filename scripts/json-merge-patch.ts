/**
 * JSON merge patch (RFC 7396), as SQLite's json_patch applies it to platforms.settings: objects merge key by key,
 * null deletes a key, anything else (arrays too) replaces. Used to check what a settings patch will leave before
 * it is written.
 */
export function jsonMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    // Defined, not assigned: a key "__proto__" (valid JSON) is data here, as in json_patch.
    else
      Object.defineProperty(out, key, {
        value: jsonMergePatch(out[key], value),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return out;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
