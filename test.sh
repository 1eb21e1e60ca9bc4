#!/usr/bin/env bash
# Runs every test: real Chromium, real SQLite and PostgreSQL, real HTTP on loopback. Extra arguments go to `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/ensure-chromium.sh
source scripts/ensure-postgresql.sh
ensure_chromium
ensure_postgresql
exec dotnet test SessionGrid.sln "$@"
