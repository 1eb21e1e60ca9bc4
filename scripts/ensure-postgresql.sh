#!/usr/bin/env bash
# Makes sure PostgreSQL's server programs are installed from the OS packages (Debian: postgresql). The tests start
# their own throwaway server from them in a temporary folder; nothing runs as a system service.
ensure_postgresql() {
  if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then return 0; fi
  echo "PostgreSQL is not installed; installing it from the OS packages (apt-get install postgresql)..." >&2
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
}
