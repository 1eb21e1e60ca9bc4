#!/usr/bin/env bash
# Makes sure a Chromium is installed, from the OS packages (Debian: chromium; and chromium-headless-shell, which
# dedicated browsers run when it is there: it starts faster). Nothing downloads a browser otherwise.
ensure_chromium() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  local have_chromium=""
  if [ -n "${SessionGrid__Browser__ExecutablePath:-}" ] && [ -x "${SessionGrid__Browser__ExecutablePath}" ]; then have_chromium=1; fi
  for candidate in /usr/bin/chromium chromium chromium-browser google-chrome; do
    if command -v "$candidate" >/dev/null 2>&1; then have_chromium=1; break; fi
  done
  local have_shell=""
  if [ -x /usr/lib/chromium/chromium-headless-shell ] || command -v chromium-headless-shell >/dev/null 2>&1; then have_shell=1; fi
  if [ -n "$have_chromium" ] && [ -n "$have_shell" ]; then return 0; fi
  echo "Installing Chromium from the OS packages (apt-get install chromium chromium-headless-shell)..." >&2
  $sudo apt-get update -qq
  if [ -z "$have_chromium" ]; then
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null || return 1
  fi
  # Optional: without it every browser runs the full Chromium.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium-headless-shell >/dev/null \
    || echo "chromium-headless-shell is not available; dedicated browsers run the full Chromium" >&2
}
