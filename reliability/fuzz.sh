#!/usr/bin/env bash
# Runs every Jazzer fuzz target of the mesh in full fuzzing mode, one after the other, and prints
# the executions each ran. The normal build (mvn verify) only replays each target's committed seed
# corpus; this is the long form of issue 25's item 6.
#
#   reliability/fuzz.sh                       # each target: 10,000,000 executions or 30 minutes
#   reliability/fuzz.sh --duration 2m         # each target: 2 minutes (or 10M executions)
#   reliability/fuzz.sh --runs 100000 --only Pem
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 reliability/fuzz.sh --duration 1m
#
# A target stops at whichever limit it reaches first, or at its first finding: Jazzer then writes
# the input as crash-<sha1> into the target's seed directory under src/test/resources, so once the
# parser is fixed that file replays in every build. Logs go to reliability/target/fuzz/.
set -uo pipefail
cd "$(dirname "$0")/.."

duration=30m
runs=10000000
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

# module  class  method
targets=(
  "mesh-core dev.meshwork.core.HeaderFuzzTest timeoutHeader"
  "mesh-core dev.meshwork.core.HeaderFuzzTest retryAfter"
  "mesh-core dev.meshwork.core.HeaderFuzzTest cookieHashKey"
  "mesh-core dev.meshwork.core.TraceContextFuzzTest traceparent"
  "mesh-core dev.meshwork.core.EndpointFuzzTest parse"
  "mesh-core dev.meshwork.core.routing.RouteTableFuzzTest routes"
  "mesh-core dev.meshwork.core.internal.telemetry.RedactionFuzzTest freeText"
  "mesh-core dev.meshwork.core.internal.telemetry.RedactionFuzzTest urlQuery"
  "mesh-tls dev.meshwork.tls.internal.PemFuzzTest certificates"
  "mesh-tls dev.meshwork.tls.internal.PemFuzzTest certificateDer"
  "mesh-tls dev.meshwork.tls.internal.PemFuzzTest privateKey"
  "mesh-tls dev.meshwork.tls.internal.PemFuzzTest privateKeyDer"
  "mesh-tls dev.meshwork.tls.SpiffeIdFuzzTest parse"
  "mesh-discovery dev.meshwork.discovery.internal.EndpointFileFuzzTest yaml"
  "mesh-discovery dev.meshwork.discovery.internal.EndpointFileFuzzTest json"
  "mesh-discovery dev.meshwork.discovery.internal.DnsAnswerFuzzTest srv"
  "mesh-discovery dev.meshwork.discovery.internal.DnsAnswerFuzzTest addresses"
  "mesh-discovery-kubernetes dev.meshwork.discovery.kubernetes.internal.SliceReaderFuzzTest slices"
  "mesh-admin dev.meshwork.admin.internal.HostCheckFuzzTest hostHeader"
  "mesh-config dev.meshwork.config.internal.DocumentFuzzTest yaml"
  "mesh-config dev.meshwork.config.internal.DocumentFuzzTest json"
  "mesh-config dev.meshwork.config.internal.ImportFuzzTest manifests"
  "mesh-xds dev.meshwork.xds.ResourceDecodingFuzzTest mutations"
)

logs=reliability/target/fuzz
mkdir -p "$logs"
echo "== fuzzing with $(java -version 2>&1 | head -n 1); each target: $runs executions or $duration"
printf '%-58s %-26s %12s %8s %10s  %s\n' target module executions seconds exec/s result > "$logs/summary.txt"
failed=0
for entry in "${targets[@]}"; do
  read -r module class method <<< "$entry"
  name="${class##*.}#$method"
  if [ -n "$only" ] && [[ "$name" != *"$only"* ]]; then continue; fi
  log="$logs/$name.log"
  echo "-- $name ($module)"
  JAZZER_FUZZ=1 JAZZER_MAX_DURATION="$duration" JAZZER_MAX_EXECUTIONS="$runs" \
    mvn -B -o -pl "$module" -am test -Dtest="$class#$method" -Dsurefire.failIfNoSpecifiedTests=false \
    -DargLine=-Xmx1g > "$log" 2>&1
  status=$?
  # libFuzzer's last words: "Done N runs in S second(s)", and "exec/s: R" on its status lines.
  done_line=$(grep -a -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -n 1)
  executions=$(echo "$done_line" | awk '{print $2}')
  seconds=$(echo "$done_line" | awk '{print $5}')
  rate=$(grep -a -o -E 'exec/s: [0-9]+' "$log" | tail -n 1 | awk '{print $2}')
  if [ "$status" -eq 0 ] && [ -n "$done_line" ]; then
    result=ok
  else
    failed=1
    crash=$(grep -a -o -E "[^ ]*crash-[0-9a-f]+" "$log" | tail -n 1)
    result="FINDING or failure, see $log${crash:+ (input: $crash)}"
    executions=${executions:-$(grep -a -o -E '^#[0-9]+' "$log" | tail -n 1 | tr -d '#')}
  fi
  printf '%-58s %-26s %12s %8s %10s  %s\n' "$name" "$module" "${executions:-?}" "${seconds:-?}" \
    "${rate:-?}" "$result" | tee -a "$logs/summary.txt"
done
echo
cat "$logs/summary.txt"
exit "$failed"
