// Vite builds the UI into ui/dist, which the Tauri shell embeds at compile
// time. Relative base: the files are served from the app's own protocol.
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  clearScreen: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // WebKitGTK / WebView2 of the last few years.
    target: 'es2021',
    sourcemap: false,
  },
  server: {
    strictPort: true,
  },
});
