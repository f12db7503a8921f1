import { z } from 'zod';

// zod would otherwise probe for `new Function` when schemas are defined, which the content security
// policy forbids (and the browser reports every probe as a violation). Imported first by main.tsx, and
// built into zod's own chunk (web/vite.config.ts) so it runs before any other chunk defines a schema.
z.config({ jitless: true });
