#!/usr/bin/env bash
# Runs every test: real Chromium, real SQLite, real HTTP on loopback. Extra arguments go to `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/ensure-chromium.sh
ensure_chromium
exec dotnet test SessionGrid.sln "$@"
