// `novabilling/testing` for `import`: the same objects as require('novabilling/testing').
import { createRequire } from 'node:module';

const testing = createRequire(import.meta.url)('./testing.js');

export const { startTestServer, TestServer, Webhooks } = testing;
