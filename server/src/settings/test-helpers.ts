import { readFileSync } from 'node:fs';

/** A logo file of testdata/: logo.png and logo.jpg (drawn by Chromium), logo.svg (as Inkscape saves one). */
export const testLogo = (name: 'logo.png' | 'logo.jpg' | 'logo.svg') => readFileSync(new URL(`./testdata/${name}`, import.meta.url));
