// The npm package as a consumer gets it: `npm pack`, install the tarball into a temp project (offline: a lockfile
// that names the dependencies by the integrity npm ci already cached), import both entries in Node, and type-check
// consumer files (and every `// recipe:` block of docs/video-sdks.md) against the packed types with tsc.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'node_modules/.bin');
const env = { ...process.env, PATH: `${BIN}:${process.env.PATH ?? ''}`, npm_config_update_notifier: 'false' };

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

/** The recipes of docs/video-sdks.md, by name. */
function recipes(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [, body] of markdown.matchAll(/```ts\n([\s\S]*?)```/g)) {
    const name = /^\/\/ recipe: (\w+)/.exec(body!)?.[1];
    if (name) out.set(name, body!);
  }
  return out;
}

/** The ```ts blocks of a doc. */
function docSnippets(doc: string): string[] {
  return [...readFileSync(join(ROOT, doc), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** What the docs' snippets take from the integrator's own code. */
const SNIPPET_PRELUDE = `export {};
interface Statement { bind(...values: unknown[]): Statement; first(): Promise<unknown> }
interface Env {
  ATTUNE_PLATFORM_ID: string; ATTUNE_KID: string; ATTUNE_PRIVATE_KEY: string; ATTUNE_WEBHOOK_SECRET: string;
  DB: { prepare(sql: string): Statement; batch(statements: Statement[]): Promise<unknown> };
}
declare const env: Env;
declare const user: { id: string };
declare const call: { id: string; therapistId: string; clientId: string; startsAt: Date; endsAt: Date };
declare function effectsOf(event: import('attune/server').WebhookEvent): Statement[];`;
const WIDGET_PRELUDE = `declare const token: string, nonce: string, room: import('livekit-client').Room;
declare function report(code: string): void;`;

let dir: string;
let tarball: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'attune-pkg-'));
  const pack = run('npm', ['pack', '--silent', '--pack-destination', dir], ROOT);
  expect(pack.status, pack.out).toBe(0);
  tarball = pack.out.trim().split('\n').filter(Boolean).at(-1)!;
  // The package's own dependencies, pinned to what this repo's lockfile resolved (npm ci put them in the cache).
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version: string; integrity: string }>;
  };
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    version: string;
    dependencies: Record<string, string>;
  };
  const deps = Object.fromEntries(
    Object.keys(pkg.dependencies).map((n) => [n, lock.packages[`node_modules/${n}`]!.version]),
  );
  const integrity =
    'sha512-' +
    createHash('sha512')
      .update(readFileSync(join(dir, tarball)))
      .digest('base64');
  const packages: Record<string, object> = {
    '': { name: 'consumer', dependencies: { attune: `file:${tarball}` } },
    'node_modules/attune': { version: pkg.version, resolved: `file:${tarball}`, integrity, dependencies: deps },
  };
  for (const [n, version] of Object.entries(deps)) {
    packages[`node_modules/${n}`] = {
      version,
      resolved: `https://registry.npmjs.org/${n}/-/${n.split('/').pop()}-${version}.tgz`,
      integrity: lock.packages[`node_modules/${n}`]!.integrity,
    };
  }
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { attune: `file:${tarball}` } }),
  );
  writeFileSync(
    join(dir, 'package-lock.json'),
    JSON.stringify({ name: 'consumer', lockfileVersion: 3, requires: true, packages }),
  );
  let install = run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], dir);
  // A cache that never saw these tarballs (node_modules installed some other way): fetch what is missing.
  if (install.status !== 0 && /ENOTCACHED/.test(install.out))
    install = run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], dir);
  expect(install.status, install.out).toBe(0);
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('ships only the built entries and their declarations, and stays private', () => {
    const pkg = JSON.parse(readFileSync(join(dir, 'node_modules/attune/package.json'), 'utf8')) as {
      private: boolean;
      exports: Record<string, unknown>;
    };
    expect(pkg.private).toBe(true);
    expect(Object.keys(pkg.exports).sort()).toEqual(['./package.json', './server', './widget']);
    const list = run('tar', ['-tzf', join(dir, tarball)], dir)
      .out.trim()
      .split('\n');
    expect(list.filter((f) => !/^package\/(package\.json|README\.md|dist\/npm\/.+)$/.test(f))).toEqual([]);
    expect(list).toContain('package/dist/npm/types/widget/index.d.ts');
  });

  it('attune/server imports nothing but jose and valibot (no Node built-ins: Workers, Deno, Bun)', () => {
    const code = readFileSync(join(dir, 'node_modules/attune/dist/npm/server/index.js'), 'utf8');
    const specifiers = [...code.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    expect([...new Set(specifiers)].sort()).toEqual(['jose', 'valibot']);
    expect(code).not.toMatch(/\brequire\(|process\.|Buffer\b/);
  });

  it('both entries import in Node; attune/server mints a token the public key verifies', () => {
    writeFileSync(
      join(dir, 'node-import.mjs'),
      `import { AccessToken, MintError } from 'attune/server';
import * as widget from 'attune/widget';
import { generateKeyPair, exportJWK, jwtVerify } from 'jose';
const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
const at = new AccessToken('plt_x', 'k_1', await exportJWK(privateKey), { identity: 'u1', role: 'client', session: 's1', therapist: 't1', client: 'u1', ttl: 600 });
const { payload, protectedHeader } = await jwtVerify(await at.toJwt(), publicKey, { audience: 'attune', issuer: 'plt_x' });
let refused = false;
try { await new AccessToken('plt_x', 'k_1', 'short', { identity: 'u1', role: 'client', session: 's1', therapist: 't1', client: 'u1' }).toJwt(); } catch (e) { refused = e instanceof MintError; }
console.log(JSON.stringify({ widget: Object.keys(widget).sort(), kid: protectedHeader.kid, sub: payload.sub, sid: payload.sid, life: payload.exp - payload.iat, refused }));
`,
    );
    const r = run(join(BIN, 'node'), ['node-import.mjs'], dir);
    expect(r.status, r.out).toBe(0);
    expect(JSON.parse(r.out.trim().split('\n')[0]!)).toEqual({
      widget: ['attachAudio', 'connect', 'endSession', 'hideStrip', 'mount', 'mountCaseload', 'remove', 'showStrip'],
      kid: 'k_1',
      sub: 'u1',
      sid: 's1',
      life: 600,
      refused: true,
    });
  });

  it('consumer files and the video-SDK recipes type-check against the packed types; a misuse does not', () => {
    mkdirSync(join(dir, 'src'));
    writeFileSync(
      join(dir, 'src/consumer.ts'),
      `import { mount, connect, attachAudio, remove, type AttuneEvents, type SessionSummary } from 'attune/widget';
import { AccessToken, mintToken } from 'attune/server';
import { Room } from 'livekit-client';

const attune = mount({ token: 'jwt', api: 'https://attune.example', target: document.body, on: { error: (e) => console.warn(e.code) } });
const off = attune.on('summary', (s: SessionSummary) => console.log(s.total, s.flags.some((f) => f.rule === 'drop_from_previous'), s.trend?.client.length));
attune.on('rating:sent', ({ status, body }) => console.log(status, body && 'status' in body ? body.receivedAt : body?.error.code));
attune.on('cue', (cue) => console.log(cue.kind satisfies 'balance' | 'monologue' | 'overlap' | 'time', cue.minutesLeft));
connect(new Room());
attachAudio({ local: new MediaStream(), remote: null });
off();
remove();
const events: (keyof AttuneEvents)[] = ['ready', 'error', 'rating:queued', 'rating:sent', 'summary', 'cue'];
export async function token(): Promise<string> {
  const at = new AccessToken('plt', 'k', process.env.KEY ?? '', { identity: 'u', role: 'therapist', session: 's', therapist: 'u', client: 'c', locale: 'es' });
  at.setSchedule(new Date(), new Date(Date.now() + 3_000_000));
  return (await at.toJwt()) + (await mintToken({ platformId: 'plt', kid: 'k', key: 'x'.repeat(32) }, { role: 'client', sub: 'c', sid: 's', tid: 't', cid: 'c' })) + events.length;
}
`,
    );
    // Every TypeScript snippet of the integration docs, as copied into a consumer's file: only the names a snippet
    // leaves to the reader (your env, user, call, room, …) are declared for it.
    const snippets = [
      ...docSnippets('sdk/README.md').map((code) => `${SNIPPET_PRELUDE}\n${code}`),
      ...docSnippets('widget/README.md').map((code) => `${SNIPPET_PRELUDE}\n${WIDGET_PRELUDE}\n${code}`),
    ];
    expect(snippets.length).toBe(5);
    for (const [i, code] of snippets.entries()) writeFileSync(join(dir, `src/doc-snippet-${i}.ts`), code);
    const found = recipes(readFileSync(join(ROOT, 'docs/video-sdks.md'), 'utf8'));
    expect([...found.keys()].sort()).toEqual(['agora', 'daily', 'livekit', 'twilio', 'vonage']);
    for (const [name, code] of found) writeFileSync(join(dir, `src/recipe-${name}.ts`), code);
    // The video SDKs are this repo's devDependencies; a consumer would have its own.
    const sdk = (n: string) => [join(ROOT, 'node_modules', n)];
    const paths = Object.fromEntries(
      ['livekit-client', 'twilio-video', '@daily-co/daily-js', '@vonage/client-sdk-video', 'agora-rtc-sdk-ng'].map(
        (n) => [n, sdk(n)],
      ),
    );
    const compilerOptions = {
      strict: true,
      noEmit: true,
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      lib: ['ES2023', 'DOM', 'DOM.Iterable'],
      types: [],
      skipLibCheck: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      paths,
    };
    const tsc = (include: string[]) => {
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include }));
      return run(
        join(BIN, 'tsc'),
        ['-p', 'tsconfig.json', '--types', 'node', '--typeRoots', join(ROOT, 'node_modules/@types')],
        dir,
      );
    };
    const ok = tsc(['src']);
    expect(ok.status, ok.out).toBe(0);

    writeFileSync(
      join(dir, 'misuse.ts'),
      `import { mount } from 'attune/widget';\nmount({ token: 'jwt', api: 'x' }).on('summary', (s) => s.score);\nmount({ token: 1, api: 'x' });\n`,
    );
    const bad = tsc(['misuse.ts']);
    expect(bad.status).not.toBe(0);
    expect(bad.out).toMatch(/misuse\.ts\(2,\d+\): error TS2339: Property 'score' does not exist/);
    expect(bad.out).toMatch(/misuse\.ts\(3,\d+\): error TS2322/);
  });
});
