#!/usr/bin/env node
// Starts the npm web-push-testing push service on 127.0.0.1 (a free port) for the Java interop
// tests; prints {"port":N} on the first line of stdout and exits when stdin closes.
'use strict';
const express = require('express');
const { PushApiModel } = require('web-push-testing/src/PushApiModel');
const WebPushTestingServer = require('web-push-testing/src/server');

const model = new PushApiModel();
const server = new WebPushTestingServer(model, 0);
// push messages arrive as application/xml: take any body type as raw bytes
server._app.use(express.raw({ type: () => true, limit: '64kb' }));
server.setRequestHandlers();
const listener = server._app.listen(0, '127.0.0.1', () => {
  const port = listener.address().port;
  model.notifyUrl = 'http://127.0.0.1:' + port + '/notify/';
  process.stdout.write(JSON.stringify({ port }) + '\n');
});
process.stdin.resume();
process.stdin.on('end', () => { listener.close(); process.exit(0); });
process.stdin.on('close', () => { listener.close(); process.exit(0); });
