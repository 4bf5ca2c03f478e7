// widget.js: the classic `<script async>` a platform adds. Plain DOM, no framework; the role's UI is lazy-loaded.
import { boot } from './embed/boot.ts';

/**
 * Role -> content-hashed chunk file name, compiled in by scripts/build-widget.ts (esbuild `define`), so this loader
 * only ever imports the chunks it was built with.
 */
declare const __ATTUNE_CHUNKS__: { client: string; therapist: string };

try {
  boot(window, { importer: (url) => import(url), chunks: __ATTUNE_CHUNKS__ });
} catch (e) {
  // boot() reports its own failures; this only guards the host page against the unforeseen.
  console.error('[attune]', e);
}
