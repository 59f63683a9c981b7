import { defineConfig } from 'vite';

/** The dashboard: a Preact single-page app, built into dist/ and served by the API server at /dashboard/. */
export default defineConfig({
  base: '/dashboard/',
  // Preact's JSX runtime through Vite's own transform: no framework plugin needed.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
  // `npx vite dashboard` for development: GraphQL goes to a server started with `npm start`.
  server: { proxy: { '/graphql': 'http://127.0.0.1:4000' } },
});
