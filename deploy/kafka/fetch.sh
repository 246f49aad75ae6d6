#!/usr/bin/env bash
# Fetches the Apache Kafka 3.9.x jars into deploy/kafka/lib (idempotent, works from any cwd).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LIB_DIR="$SCRIPT_DIR/lib"

has_kafka_jar() {
  compgen -G "$LIB_DIR/kafka_2.13-3.9.*.jar" >/dev/null
}

if has_kafka_jar; then
  exit 0
fi

if ! command -v mvn >/dev/null 2>&1; then
  echo "fetch.sh: Maven (mvn) is required to fetch Kafka jars into $LIB_DIR" >&2
  exit 1
fi

echo "Fetching Kafka jars into $LIB_DIR ..." >&2
# outputDirectory is resolved against the pom's directory, so jars land in deploy/kafka/lib.
mvn -q -B -Dstyle.color=never -f "$SCRIPT_DIR/pom.xml" dependency:copy-dependencies \
  -DoutputDirectory=lib -DincludeScope=runtime >&2

if ! has_kafka_jar; then
  echo "fetch.sh: mvn finished but no kafka_2.13-3.9.*.jar in $LIB_DIR" >&2
  exit 1
fi
