#!/usr/bin/env bash
# Installs what the tests need on a Debian machine, then runs every test on Java 17 and, when a
# Java 25 JDK is installed, the library's tests once more on Java 25 (the build targets --release 17
# either way). The measurement harnesses (benchmarks, reliability) run on Java 17 only: they time
# the library rather than test another of its code paths, and twice would push CI past 30 minutes.
#   openssl, nginx-light: real TLS peers of the interop tests
#   dnsmasq, procps: the real DNS server of the discovery tests, and kill(1) to reload it
#   haproxy: the sidecar of the load harness's smoke test
#   chromium: the headless browser of the admin dashboard test
set -euo pipefail
cd "$(dirname "$0")"

packages=(openjdk-17-jdk-headless maven openssl ca-certificates nginx-light haproxy dnsmasq procps chromium)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "Installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi

java17=/usr/lib/jvm/java-17-openjdk-amd64
if [ -d "$java17" ]; then export JAVA_HOME="$java17"; fi
echo "== tests on $(java -version 2>&1 | head -n 1)"
mvn -B verify
# The Spring Boot starter targets Boot 4.0 and supports Boot 3.5: its tests once more on Boot 3.5,
# against the main classes the build above compiled on Boot 4 (main.skip), as users get one jar.
echo "== Spring Boot starter tests on Spring Boot 3.5 (-Pboot3), the Boot 4 build's classes"
mvn -B -Pboot3 -pl mesh-spring-boot-starter -am test -Dmaven.main.skip=true \
  -Dtest='dev/meshwork/spring/**/*Test' -Dsurefire.failIfNoSpecifiedTests=false

java25="${JAVA25_HOME:-}"
if [ -z "$java25" ]; then
  java25=$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -n 1 || true)
fi
if [ -n "$java25" ] && [ -x "$java25/bin/java" ]; then
  echo "== tests on $("$java25/bin/java" -version 2>&1 | head -n 1) ($java25)"
  JAVA_HOME="$java25" mvn -B verify -pl '!benchmarks,!reliability'
else
  echo "== no Java 25 JDK found (set JAVA25_HOME or install one under /usr/lib/jvm): tests ran on Java 17 only"
fi
