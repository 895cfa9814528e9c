#!/usr/bin/env bash
# Re-pin every dependency (direct and transitive) from pyproject.toml into requirements*.lock.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3.11 -m venv "$tmp/runtime"
"$tmp/runtime/bin/pip" install -q --upgrade pip
"$tmp/runtime/bin/pip" install -q .
"$tmp/runtime/bin/pip" freeze --exclude linzi-incubation > requirements.lock
python3.11 -m venv "$tmp/dev"
"$tmp/dev/bin/pip" install -q --upgrade pip
"$tmp/dev/bin/pip" install -q ".[dev]"
{ echo "-r requirements.lock"; "$tmp/dev/bin/pip" freeze --exclude linzi-incubation | grep -vxFf requirements.lock; } > requirements-dev.lock
echo "requirements.lock: $(wc -l < requirements.lock) packages; requirements-dev.lock: $(($(wc -l < requirements-dev.lock) - 1)) more"
