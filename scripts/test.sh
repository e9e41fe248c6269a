#!/usr/bin/env bash
# The one test command: dependencies, Swift build, Swift tests, end-to-end tests.
# Exits non-zero if any part fails; every test part runs even when an earlier one failed.
set -uo pipefail
cd "$(dirname "$0")/.."

./scripts/setup-test-deps.sh || { echo "test.sh: setup-test-deps failed" >&2; exit 1; }

echo "=== swift build --build-tests"
swift build --build-tests || { echo "test.sh: swift build failed" >&2; exit 1; }

status=0
echo "=== swift test --skip-build"
swift test --skip-build || { echo "test.sh: swift test failed" >&2; status=1; }

echo "=== pytest tests/e2e"
.venv/bin/pytest -v -rfEs --tb=short --durations=10 -p no:cacheprovider tests/e2e \
    || { echo "test.sh: e2e tests failed" >&2; status=1; }

exit $status
