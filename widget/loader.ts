// widget.js: the classic `<script async>` a platform adds. Plain DOM, no framework; the role's UI is lazy-loaded.
import { boot } from './embed/attune.ts';

try {
  boot(window, { importer: (url) => import(url) });
} catch (e) {
  // boot() reports its own failures; this only guards the host page against the unforeseen.
  console.error('[attune]', e);
}
