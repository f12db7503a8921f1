import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The fonts of every report, read from npm packages and never from the system, so a report looks
 * the same on every machine: Noto Sans for Latin text, Amiri for Arabic (typst shapes it cleanly).
 */
const files = [
  '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
  '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
  '@expo-google-fonts/amiri/400Regular/Amiri_400Regular.ttf',
  '@expo-google-fonts/amiri/700Bold/Amiri_700Bold.ttf',
];

export const loadReportFonts = (): Buffer[] => files.map((file) => readFileSync(require.resolve(file)));
