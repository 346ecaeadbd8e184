import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'

const root = import.meta.dirname

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      rolldownOptions: {
        // index: the Electron app; browser: the same core under plain Node (start:browser, e2e);
        // conference-unit: the demo pool's media unit, run on a thread of its own (a worker needs a file of its own);
        input: {
          index: resolve(root, 'main/index.ts'),
          browser: resolve(root, 'main/browser.ts'),
          'conference-unit': resolve(root, 'test/simulator/conference/unit-runner.ts'),
          // the media bridge's packet path, on a worker thread (main/media-bridge/media-worker-host.ts)
          'media-worker': resolve(root, 'main/media-bridge/media-worker.ts'),
          // the start-up keychain check, run in a process of its own (main/credentials/keychain-probe.ts)
          'keychain-probe': resolve(root, 'main/credentials/keychain-probe-child.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // a sandboxed preload cannot require node_modules: bundle everything, emit CommonJS
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [vue()],
    build: {
      outDir: 'out/renderer',
      rolldownOptions: { input: resolve(root, 'renderer/index.html') },
    },
  },
})
