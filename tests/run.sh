#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine with the .NET SDK, then builds and runs
# every test in the solution. Usage: tests/run.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian packages: a real PostgreSQL server and Chromium for the browser tests.
missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v npm >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The package may start a cluster of its own; the tests start their own servers on free ports instead.

# npm packages, pinned by tests/package-lock.json: MailDev (a real SMTP server with a REST API).
if [ ! -x tests/node_modules/.bin/maildev ]; then
  echo "Installing npm packages (MailDev)"
  npm ci --prefix tests --no-audit --no-fund --loglevel=error
fi

echo "Building (warnings are errors)"
dotnet build FeedbackHub.sln -c Release -nologo -v quiet

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test FeedbackHub.sln -c Release --no-build -nologo "$@" 2>&1 | tee "$log" || status=$?

# The benchmarks must keep working: a small import run (the README's figures use 1,000,000 rows).
if [ "$status" -eq 0 ]; then
  echo "Benchmark smoke run (2,000 rows)"
  dotnet tests/FeedbackHub.Benchmarks/bin/Release/net10.0/FeedbackHub.Benchmarks.dll import 2000 | tail -4 || status=$?
  echo "Benchmark smoke run (dispatch, 200 emails)"
  dotnet tests/FeedbackHub.Benchmarks/bin/Release/net10.0/FeedbackHub.Benchmarks.dll dispatch 200 | tail -5 || status=$?
  echo "Benchmark smoke run (churn detection, 2,000 customers and 10,000 orders on both databases)"
  dotnet tests/FeedbackHub.Benchmarks/bin/Release/net10.0/FeedbackHub.Benchmarks.dll churn 2000 10000 | tail -6 || status=$?
  echo "Benchmark smoke run (analytics pages, 3,000 demo customers on both databases)"
  dotnet tests/FeedbackHub.Benchmarks/bin/Release/net10.0/FeedbackHub.Benchmarks.dll analytics 3000 15000 300 | tail -16 || status=$?
  echo "Benchmark smoke run (survey submissions, 20/s for 3 + 3 s)"
  dotnet tests/FeedbackHub.Benchmarks/bin/Release/net10.0/FeedbackHub.Benchmarks.dll survey-submit 3 20 | tail -4 || status=$?
  echo "Benchmark smoke run (classifier: model size, loaded memory, training on 10,000 answers)"
  dotnet tests/FeedbackHub.Benchmarks/bin/Release/net10.0/FeedbackHub.Benchmarks.dll classifier-size | tail -1 || status=$?
fi

# One closing line over all test projects, in the form CI reads.
count() { grep -oE "$1: +[0-9]+" "$log" | awk '{ total += $2 } END { print total + 0 }'; }
passed=$(count Passed)
failed=$(count Failed)
skipped=$(count Skipped)
echo "Tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$passed" -eq 0 ]; then
  echo "No test ran." >&2
  exit 1
fi
exit "$status"
