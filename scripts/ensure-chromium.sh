#!/usr/bin/env bash
# Makes sure a Chromium is installed, from the OS packages (Debian: chromium). Nothing downloads a browser otherwise.
ensure_chromium() {
  if [ -n "${SessionGrid__Browser__ExecutablePath:-}" ] && [ -x "${SessionGrid__Browser__ExecutablePath}" ]; then return 0; fi
  for candidate in /usr/bin/chromium chromium chromium-browser google-chrome; do
    if command -v "$candidate" >/dev/null 2>&1; then return 0; fi
  done
  echo "Chromium is not installed; installing it from the OS packages (apt-get install chromium)..." >&2
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
}
