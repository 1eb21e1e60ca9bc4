#!/usr/bin/env bash
# Starts SessionGrid: one process, embedded SQLite store in ./data, HTTP on http://localhost:8080 (or --urls ...).
# Every setting can also come from the environment (SessionGrid__Section__Key=value); see README.md.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/ensure-chromium.sh
source scripts/ensure-ffmpeg.sh
ensure_chromium
ensure_ffmpeg
# `dotnet run` runs in the project folder: keep the data folder where the README says it is.
export SessionGrid__DataDir="${SessionGrid__DataDir:-$PWD/data}"
exec dotnet run --project src/Silo -c Release -- "$@"
