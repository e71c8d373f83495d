#!/usr/bin/env bash
# Builds this example reward plugin with Maven, against the carrot-rewards of this checkout, and checks that
# Carrot loads its scheme by name from job.yaml: lists it, analyses it, and scores sample rollouts with it.
# Set MVN to use another Maven command line (for example with -Dmaven.repo.local=...).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
mvn="${MVN:-mvn}"
jar="$here/target/carrot-reward-plugin-example-0.1.0.jar"

echo "== installing carrot-rewards, the plugin's provided dependency, into the local Maven repository" >&2
(cd "$root" && $mvn -q -B -DskipTests -pl rewards -am install)

echo "== building and testing the plugin" >&2
(cd "$here" && $mvn -q -B package)

echo "== carrot rewards list" >&2
"$root/carrot" rewards list --reward-plugin "$jar" | grep '^numeric-tolerance '

echo "== carrot rewards analyze job.yaml" >&2
"$root/carrot" rewards analyze "$here/job.yaml" --reward-plugin "$jar"

echo "== carrot rewards score job.yaml" >&2
scores="$("$root/carrot" rewards score "$here/job.yaml" --reward-plugin "$jar" --rollouts "$here/rollouts.jsonl")"
echo "$scores"
categories="$(echo "$scores" | sed -E 's/.*"category":"([a-z_]+)".*/\1/' | tr '\n' ' ')"
if [[ "$categories" != "correct hedged_incorrect abstained " ]]; then
  echo "unexpected categories: $categories" >&2
  exit 1
fi
echo "OK: the numeric-tolerance plugin loads by name and scores as expected" >&2
