#!/usr/bin/env bash
# Installs what the hub and its tests need on a fresh Debian machine (only the .NET SDK is assumed),
# then builds everything. Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
command -v mosquitto_pub >/dev/null 2>&1 || need+=(mosquitto-clients)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || need+=(python3-aiosmtpd)   # the SMTP server of the smtp plugin's tests
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)   # scrapes /metrics in the web tests
command -v rsyslogd >/dev/null 2>&1 || [ -x /usr/sbin/rsyslogd ] || need+=(rsyslog)   # the syslog collector of the syslog plugin's tests
# The servers of the storage sinks' tests (started by the tests on free loopback ports, never system-wide).
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)   # redis, redispub (and redis-cli, redis-tools)
command -v influxd >/dev/null 2>&1 || need+=(influxdb)   # influxdb v1
command -v carbon-cache >/dev/null 2>&1 || need+=(graphite-carbon)   # carbon
command -v whisper-fetch >/dev/null 2>&1 || need+=(python3-whisper)   # carbon: reads the whisper files back
command -v rrdtool >/dev/null 2>&1 || need+=(rrdtool)   # rrdtool
# Python functions and service modules (udf.py) embed CPython: the shared library and the interpreter whose sysconfig finds it.
ls /usr/lib/*-linux-gnu/libpython3.11.so.1.0 >/dev/null 2>&1 || need+=(libpython3.11)
command -v python3 >/dev/null 2>&1 || need+=(python3)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)   # the postgres sink's tests start their own server
[ -x /usr/sbin/mariadbd ] || need+=(mariadb-server)   # the mysql sink's tests start their own server
command -v bc >/dev/null 2>&1 || need+=(bc)   # bench/postgres.sh
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  # Debian starts a system-wide mosquitto on port 1883 where an init system runs; tests use their own brokers.
  # The same for redis-server, influxdb and carbon-cache: stop them if they are in the way, the tests never use them.
  # (Likewise postgresql and mariadb: tests start their own instances on free ports with temporary data.)
fi

configuration="${1:-Debug}"
dotnet build Hub.sln -c "$configuration" -nologo -v q -clp:NoSummary
