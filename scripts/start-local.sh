#!/usr/bin/env bash
# `make start`: the real local path. Azurite (from npm) + Azure Functions Core Tools (`func start`).
# Azurite runs in the background with its data in .azurite/ and stops when func exits.
set -euo pipefail
cd "$(dirname "$0")/.."

AZURITE_DIR=".azurite"
AZURITE_PORTS=(10000 10001 10002) # blob, queue, table
AZURITE_WAIT_SECONDS="${AZURITE_WAIT_SECONDS:-60}"

say() { printf 'start-local: %s\n' "$*" >&2; }

if ! command -v func >/dev/null 2>&1; then
  cat >&2 <<'EOF'
start-local: Azure Functions Core Tools v4 (`func`) is not installed.
Install it, then run `make start` again:
  npm i -g azure-functions-core-tools@4 --unsafe-perm true
  # or: Debian/Ubuntu: sudo apt-get install azure-functions-core-tools-4 (after adding Microsoft's apt repository)
  #     macOS:         brew tap azure/functions && brew install azure-functions-core-tools@4
  #     Windows:       winget install Microsoft.Azure.FunctionsCoreTools
No Core Tools? `make serve` runs the same app on the embedded host instead.
EOF
  exit 127
fi

if [[ ! -f local.settings.json ]]; then
  cp local.settings.json.example local.settings.json
  say "created local.settings.json from local.settings.json.example"
fi

# Prefer a project-local Azurite (npm install azurite@3), else fetch it once through npx.
if [[ -x node_modules/.bin/azurite ]]; then
  AZURITE=(node_modules/.bin/azurite)
elif command -v npx >/dev/null 2>&1; then
  AZURITE=(npx --yes azurite@3)
else
  say "Node.js (npx) is needed for Azurite: install Node.js 18+ and run make start again."
  exit 1
fi

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

for port in "${AZURITE_PORTS[@]}"; do
  if port_open "$port"; then
    say "port $port is already in use (another Azurite?); stop it or use that one and run func start."
    exit 1
  fi
done

mkdir -p "$AZURITE_DIR"
# Job control gives Azurite its own process group, so stopping it also stops the node process
# that npx spawns (killing npx alone leaves Azurite running).
set -m
say "starting Azurite (data in $AZURITE_DIR/, log in $AZURITE_DIR/azurite.log)"
# --disableTelemetry: Azurite 3.35+ otherwise reports usage to Application Insights.
"${AZURITE[@]}" --silent --location "$AZURITE_DIR" --skipApiVersionCheck --disableTelemetry \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
  >"$AZURITE_DIR/azurite.log" 2>&1 &
AZURITE_PID=$!
set +m

stop_azurite() {
  if kill -0 "$AZURITE_PID" 2>/dev/null; then
    say "stopping Azurite (pid $AZURITE_PID)"
    kill -TERM -- "-$AZURITE_PID" 2>/dev/null || kill "$AZURITE_PID" 2>/dev/null || true
    wait "$AZURITE_PID" 2>/dev/null || true
  fi
}
trap stop_azurite EXIT
trap 'exit 130' INT TERM

# Poll the three ports; npx may need time to download Azurite the first time.
deadline=$((SECONDS + AZURITE_WAIT_SECONDS))
for port in "${AZURITE_PORTS[@]}"; do
  until port_open "$port"; do
    if ! kill -0 "$AZURITE_PID" 2>/dev/null; then
      say "Azurite exited early; see $AZURITE_DIR/azurite.log"
      exit 1
    fi
    if ((SECONDS >= deadline)); then
      say "Azurite did not open port $port within ${AZURITE_WAIT_SECONDS}s; see $AZURITE_DIR/azurite.log"
      exit 1
    fi
    sleep 0.5
  done
done
say "Azurite is up on 127.0.0.1:10000-10002"

# Not exec: the EXIT trap must run after func stops, to stop Azurite.
func start "$@"
