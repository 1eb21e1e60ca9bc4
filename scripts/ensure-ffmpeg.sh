#!/usr/bin/env bash
# Makes sure ffmpeg is installed, from the OS packages (Debian: ffmpeg), for session recordings. Without it SessionGrid
# still starts (recording is off, and says so once), so a failed install only warns.
ensure_ffmpeg() {
  if [ -n "${SessionGrid__Recording__FfmpegPath:-}" ] && [ -x "${SessionGrid__Recording__FfmpegPath}" ]; then return 0; fi
  if command -v ffmpeg >/dev/null 2>&1; then return 0; fi
  echo "ffmpeg is not installed; installing it from the OS packages (apt-get install ffmpeg)..." >&2
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq ffmpeg >/dev/null; } \
    || echo "ffmpeg could not be installed: session recording stays off until it is (apt-get install ffmpeg)" >&2
}
