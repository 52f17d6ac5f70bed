#!/bin/sh
# Installs the pinned npm peers (web-push, http_ece, web-push-testing) the push-webpush interop
# tests run against. Idempotent; needs node >= 20 and npm. Usage: interop/install.sh
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error
