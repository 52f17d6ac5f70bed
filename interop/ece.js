#!/usr/bin/env node
// One operation per run, for the Java interop tests: reads a JSON request on stdin and writes a
// JSON answer on stdout. All binary values are unpadded base64url. Uses only the independent npm
// implementations (web-push, http_ece) and Node's crypto (OpenSSL).
'use strict';
const crypto = require('crypto');
const ece = require('http_ece');
const webpush = require('web-push');

const b64u = (buf) => Buffer.from(buf).toString('base64url');
const unb64u = (s) => Buffer.from(s, 'base64url');

function keygen() {
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    publicKey: b64u(ecdh.getPublicKey()),
    privateKey: b64u(ecdh.getPrivateKey()),
    auth: b64u(crypto.randomBytes(16)),
  };
}

// Node encrypts (web-push's RFC 8291 encrypt, aes128gcm) to a user agent key we generated.
function encrypt(req) {
  const r = webpush.encrypt(req.uaPublic, req.auth, unb64u(req.plaintext), 'aes128gcm');
  return { body: b64u(r.cipherText) };
}

// Node decrypts (http_ece) a body we produced, with a user agent key Node generated.
function decrypt(req) {
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.setPrivateKey(unb64u(req.privateKey));
  const plain = ece.decrypt(unb64u(req.body), {
    version: 'aes128gcm',
    privateKey: ecdh,
    authSecret: unb64u(req.auth),
  });
  return { plaintext: b64u(plain) };
}

// Verifies our VAPID header with Node's crypto: ES256 in IEEE P1363 (raw r||s) form.
function vapidVerify(req) {
  const m = /^vapid\s+t=([^,\s]+)\s*,\s*k=([A-Za-z0-9_-]+)$/.exec(req.header);
  if (!m) {
    return { valid: false, reason: 'header syntax' };
  }
  const [t, k] = [m[1], m[2]];
  const key = unb64u(k);
  const jwk = { kty: 'EC', crv: 'P-256', x: b64u(key.subarray(1, 33)), y: b64u(key.subarray(33, 65)) };
  const publicKey = crypto.createPublicKey({ key: jwk, format: 'jwk' });
  const [h, c, s] = t.split('.');
  const signature = unb64u(s);
  const valid = crypto.verify('sha256', Buffer.from(h + '.' + c), { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  return {
    valid,
    signatureLength: signature.length,
    header: JSON.parse(unb64u(h).toString('utf8')),
    claims: JSON.parse(unb64u(c).toString('utf8')),
  };
}

// web-push signs a VAPID header for us to verify.
function vapidSign(req) {
  const keys = webpush.generateVAPIDKeys();
  const headers = webpush.getVapidHeaders(req.audience, req.subject, keys.publicKey, keys.privateKey, 'aes128gcm');
  return { header: headers.Authorization, publicKey: keys.publicKey };
}

const ops = { keygen, encrypt, decrypt, 'vapid-verify': vapidVerify, 'vapid-sign': vapidSign };

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => { input += d; });
process.stdin.on('end', () => {
  try {
    const req = JSON.parse(input);
    const op = ops[req.op];
    if (!op) {
      throw new Error('unknown op ' + req.op);
    }
    process.stdout.write(JSON.stringify(op(req)));
  } catch (e) {
    process.stdout.write(JSON.stringify({ error: String(e && e.message || e) }));
    process.exitCode = 1;
  }
});
