#!/usr/bin/env bash
# Runs every test: real Chromium, real SQLite and PostgreSQL, real HTTP on loopback. Extra arguments go to `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/ensure-chromium.sh
source scripts/ensure-postgresql.sh
source scripts/ensure-ffmpeg.sh
ensure_chromium
ensure_postgresql
ensure_ffmpeg
exec dotnet test SessionGrid.sln "$@"
