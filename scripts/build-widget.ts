// placeholder: the widget build lands with the widget
import { mkdirSync } from 'node:fs';
mkdirSync('dist/widget', { recursive: true });
