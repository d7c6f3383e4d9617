// Gives the server-rendered screen element its data before the components are defined, so it hydrates
// from exactly what the server rendered. Imported by client.ts ahead of the components.
import { screenElement } from './context.ts';

const block = document.getElementById('screen-data');
const screen = screenElement();
if (block && screen) screen.data = JSON.parse(block.textContent || 'null');
