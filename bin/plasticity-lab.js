#!/usr/bin/env node
'use strict';
// The bundled command line (npm run build writes dist/cli.js).
const { main } = require('../dist/cli.js');
main(process.argv).then((code) => {
  process.exitCode = code;
});
