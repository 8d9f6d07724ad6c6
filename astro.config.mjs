// @ts-check
import node from '@astrojs/node';
import react from '@astrojs/react';
import { defineConfig } from 'astro/config';

// X-Forwarded-Host/Proto are trusted only for the public URL the deployment
// declares at build time; with none, forwarded headers are ignored.
const publicUrl = process.env.PUBLIC_URL ? new URL(process.env.PUBLIC_URL) : undefined;

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  integrations: [react()],
  server: { host: '127.0.0.1', port: 4321 },
  security: {
    checkOrigin: true,
    allowedDomains: publicUrl
      ? [{ hostname: publicUrl.hostname, protocol: publicUrl.protocol.replace(':', '') }]
      : [],
  },
});
