#!/usr/bin/env bash
# The load harness in one command: installs nginx and HAProxy if they are missing (Debian, as
# root), builds the benchmarks, runs every scenario and writes the markdown report to
# benchmarks/target/load-report.md. Arguments go to the harness (see --help), e.g.
#   benchmarks/run-load.sh                      # the full per-JVM run, about 25 minutes
#   benchmarks/run-load.sh --smoke              # every phase and scenario in about a minute
#   benchmarks/run-load.sh --mode one-jvm       # every scenario in one JVM, about 8 minutes
# --smoke, first, stands for short settings; options after it override them.
# MVN_ARGS adds Maven options (e.g. MVN_ARGS=-o offline); JAVA_OPTS adds options of the harness's
# own JVM (the scenario JVMs take --jvm-options).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || missing+=(nginx-light)
[ -x /usr/sbin/haproxy ] || command -v haproxy >/dev/null || missing+=(haproxy)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  else
    echo "run-load.sh: missing ${missing[*]}; install with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

if [ "${1:-}" = "--smoke" ]; then
  shift
  set -- --rounds 1 --duration 0.5 --warmup 0.2 --cold-warmup 2 --startup-seconds 2 \
    --concurrency 4 --rate 200 --rate-callers 8 "$@"
fi

# package, not install: the harness runs from the shaded jar in benchmarks/target.
mvn -B -q ${MVN_ARGS:-} -pl benchmarks -am package -DskipTests
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec java ${JAVA_OPTS:-} -cp benchmarks/target/benchmarks.jar dev.meshwork.benchmarks.load.LoadHarness \
  --output benchmarks/target/load-report.md "$@"
