#!/usr/bin/env bash
# Runs the benchmark (bench/SessionGrid.Bench) in Release: SessionGrid beside raw Playwright on this machine.
# Writes bench/results/<time>-<mode>.json and appends a dated table to bench/RESULTS.md. --quick: a few iterations.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/ensure-chromium.sh
ensure_chromium
exec dotnet run -c Release --project bench/SessionGrid.Bench -- "$@"
