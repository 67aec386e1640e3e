// Unit tests of the UI's pure helpers (`npm test`: one run, no watch).
// Display helpers read the local time zone: the tests pin one, with a
// daylight-saving change, so they give the same answer on every machine.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    env: { TZ: 'America/Los_Angeles' },
  },
});
