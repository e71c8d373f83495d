#!/usr/bin/env bash
# The "bring your own" walk-through: a base policy, this example's reward plugin and the RL job (the README's
# "Fine-tune your own policy" then evaluates and serves the result). Set MVN to use another Maven command line.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
mvn="${MVN:-mvn}"
jar="$here/target/carrot-byo-example-0.1.0.jar"
cd "$root"

if [[ ! -f runs/byo-base/config.json ]]; then
  echo "== a base policy: ./carrot pretrain configs/base.yaml --out runs/byo-base" >&2
  ./carrot pretrain configs/base.yaml --out runs/byo-base
fi

echo "== the reward plugin (needs carrot-rewards in the local Maven repository: ./carrot installs it)" >&2
./carrot --version >/dev/null
(cd "$here" && $mvn -q -B -Dstyle.color=never package)

echo "== the RL job" >&2
./carrot train "$here/job.yaml" --out runs/byo --reward-plugin "$jar"
