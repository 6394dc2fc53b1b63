'use strict';
// `novabilling/testing`: the in-process test server. It ships apart, as
// @novabilling/testing, so the server never weighs on production installs.
try {
  module.exports = require('@novabilling/testing');
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND' && String(e.message).includes("'@novabilling/testing'")) {
    throw new Error('novabilling/testing needs the test server package: npm install --save-dev @novabilling/testing');
  }
  throw e;
}
