#!/usr/bin/env bash
# Issue 25's reliability scenarios 1-5 in one command: builds the module, runs each scenario in a
# JVM of its own and writes its report to reliability/target/<scenario>-<form>.{txt,json}
# (fuzzing, scenario 6, is reliability/fuzz.sh).
#
#   reliability/run.sh --full                  # every scenario in its full form (about 90 minutes)
#   reliability/run.sh --reduced               # every scenario as CI runs it (about 3 minutes)
#   reliability/run.sh --full kills soak       # some of them: kills amplification rotation discovery soak
#   reliability/run.sh --reduced rotation -- --rate 500 --length 2m   # settings after --
#
# Settings after -- go to every scenario chosen (--name value; see each class's Javadoc), so do
# -Dreliability.<name>=<value> options in JAVA_OPTS. MVN_ARGS adds Maven options (MVN_ARGS=-o);
# JAVA_HOME chooses the JDK. Full forms want a quiet machine: their figures are the evidence.
# The discovery scenario needs dnsmasq (Debian: apt-get install dnsmasq, as test.sh does).
set -uo pipefail
cd "$(dirname "$0")/.."

form=--reduced
chosen=()
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --full|--reduced) form="$1"; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    kills|amplification|rotation|discovery|soak) chosen+=("$1"); shift ;;
    *) echo "run.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ ${#chosen[@]} -eq 0 ]; then
  chosen=(kills amplification rotation discovery soak)
fi

mvn -B -q ${MVN_ARGS:-} -pl reliability -am package -DskipTests || exit 1
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
classpath="reliability/target/classes:$(cat reliability/target/classpath.txt)"
out=reliability/target
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc: $(nproc)"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
  "$java" -version 2>&1 | sed 's/^/java: /'
} > "$out/machine.txt"
cat "$out/machine.txt"

failed=0
for scenario in "${chosen[@]}"; do
  case "$scenario" in
    kills) class=BackendKills ;;
    amplification) class=RetryAmplification ;;
    rotation) class=CertificateRotation ;;
    discovery) class=DiscoveryOutage ;;
    soak) class=Soak ;;
  esac
  echo "== $scenario ($class, ${form#--} form)"
  start=$(date +%s)
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
  "$java" ${JAVA_OPTS:-} -cp "$classpath" "dev.meshwork.reliability.$class" "$form" --out "$out" \
    ${extra[@]+"${extra[@]}"} 2> "$out/$scenario-${form#--}.log"
  status=$?
  echo "   exit $status after $(( $(date +%s) - start )) s; log: $out/$scenario-${form#--}.log"
  [ $status -eq 0 ] || failed=1
done
exit $failed
