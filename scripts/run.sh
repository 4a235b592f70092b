#!/usr/bin/env bash
# Runs the hub on the shipped hub.ini, whose [broker] section makes the hub its own broker on
# 127.0.0.1:1883. For a configuration without the embedded broker, this starts a local mosquitto
# on 127.0.0.1:1883 when nothing listens there yet.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh Release
config="${HUB_CONFIG:-hub.ini}"

# True when the config's [broker] section has enabled = True (or yes/on/1).
broker_enabled() {
  awk '{ line = tolower($0) }
       line ~ /^[[:space:]]*\[/ { inside = (line ~ /^[[:space:]]*\[broker\][[:space:]]*$/) }
       inside && line ~ /^[[:space:]]*enabled[[:space:]]*[=:]/ { sub(/^[^=:]*[=:][[:space:]]*/, "", line); on = (line ~ /^(true|yes|on|1)/) }
       END { exit on ? 0 : 1 }' "$1"
}

if ! broker_enabled "$config" && ! (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null; then
  mosquitto_bin=$(command -v mosquitto || echo /usr/sbin/mosquitto)
  echo "run: starting mosquitto on 127.0.0.1:1883 (log: /tmp/hub-mosquitto.log)"
  printf 'listener 1883 127.0.0.1\nallow_anonymous true\n' > /tmp/hub-mosquitto.conf
  "$mosquitto_bin" -c /tmp/hub-mosquitto.conf -d 2>/tmp/hub-mosquitto.log || "$mosquitto_bin" -c /tmp/hub-mosquitto.conf > /tmp/hub-mosquitto.log 2>&1 &
  for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null && break; sleep 0.1; done
fi

exec artifacts/Release/hub/hub run --config "$config" "$@"
