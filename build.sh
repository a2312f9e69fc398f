#!/usr/bin/env bash
# The repository's commands. Each installs what it needs first (Azurite from the committed npm lock file).
#   ./build.sh dev [dev server options]   run the dev server (Azurite + engine + HTTP API on http://127.0.0.1:7071)
#   ./build.sh test                       build everything (functions/ included), compile and lint infra/, run every test,
#                                         then one chaos round alone and the native AOT publish test
#   ./build.sh bench [benchmark options]  run the benchmark against a fresh in-memory Azurite
#   ./build.sh pack                       build and pack every package (and the project template) into artifacts/packages
#   ./build.sh chaos [--minutes N]        run the chaos suite (killed workers, injected storage faults) for N minutes
#                                         of rounds (default: one round, as in CI); CHAOS_SEED=... replays a seed
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

install_azurite() {
  # Reinstall when node_modules is missing or older than the lock file.
  if [ ! -f node_modules/azurite/dist/src/azurite.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "Installing Azurite (npm ci)..."
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

install_chromium() {
  # The web UI's browser tests drive Debian's headless Chromium through Playwright (which cannot download browsers here).
  if ! command -v chromium > /dev/null; then
    echo "Installing Chromium (apt-get)..."
    apt-get update -qq && apt-get install -y -qq chromium > /dev/null
  fi
}

install_native_toolchain() {
  # Native AOT links with clang (the ILCompiler package itself comes from NuGet, its version picked by the SDK).
  if ! command -v clang > /dev/null; then
    echo "Installing clang for native AOT (apt-get)..."
    apt-get update -qq && apt-get install -y -qq clang lld zlib1g-dev > /dev/null
  fi
}

CHAOS=tests/ServerlessFlow.Chaos.Tests
AOT=tests/ServerlessFlow.Aot.Tests

run_tests() {
  local results status=0
  results=$(mktemp)
  # functions/ is a project of the solution like any other: a restore or compile failure fails the run.
  if ! { dotnet build ServerlessFlow.sln -c Release --nologo -v quiet && dotnet build "$CHAOS" -c Release --nologo -v quiet \
      && dotnet build "$AOT" -c Release --nologo -v quiet; }; then
    echo "build FAILED: no test ran"
    echo "0 passed, 1 failed, 0 skipped"
    rm -f "$results"
    return 1
  fi
  dotnet test ServerlessFlow.sln -c Release --no-build --nologo 2>&1 | tee "$results" || status=$?
  # One chaos round (killed workers, injected storage faults) runs alone, after the suites: beside them it loads a
  # 2-core machine enough to push their kill -9 tests' timing. Its summary and seed are printed.
  dotnet test "$CHAOS" -c Release --no-build --nologo --logger "console;verbosity=detailed" 2>&1 | tee -a "$results" || status=$?
  # The native AOT publish of tests/ServerlessFlow.Aot.App (1-3 min of both cores) runs once, alone, then its binary.
  dotnet test "$AOT" -c Release --no-build --nologo 2>&1 | tee -a "$results" || status=$?
  # One closing line over all test projects; a test host that crashed counts as one failure.
  awk -v status="$status" '/(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
       END { gsub(",", "", p); if (status != 0 && f == 0) f = 1; printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$results"
  rm -f "$results"
  return $status
}

case "${1:-}" in
  dev)
    shift
    install_azurite
    dotnet build src/ServerlessFlow.Samples.DevServer -c Release --nologo -v quiet
    exec dotnet src/ServerlessFlow.Samples.DevServer/bin/Release/net10.0/serverlessflow-dev.dll "$@"
    ;;
  test)
    install_azurite || { echo "Azurite install FAILED: no test ran"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
    install_chromium || { echo "Chromium install FAILED: no test ran"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
    install_native_toolchain || { echo "clang install FAILED: no test ran"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
    run_tests
    ;;
  bench)
    shift
    install_azurite
    dotnet build bench/ServerlessFlow.Bench -c Release --nologo -v quiet
    exec dotnet bench/ServerlessFlow.Bench/bin/Release/net10.0/ServerlessFlow.Bench.dll "$@"
    ;;
  pack)
    # Packages, symbol packages (.snupkg) and the template; projects that are not packages are passed over.
    dotnet pack ServerlessFlow.sln -c Release --nologo -v quiet
    ls -1 artifacts/packages
    ;;
  chaos)
    shift
    minutes=0
    while [ $# -gt 0 ]; do
      case "$1" in
        --minutes) minutes="${2:?--minutes needs a value}"; shift 2 ;;
        *) echo "usage: ./build.sh chaos [--minutes N]" >&2; exit 2 ;;
      esac
    done
    install_azurite
    dotnet build "$CHAOS" -c Release --nologo -v quiet
    # The summary (workflows done, kills, injected faults by kind) is the test's output: show it.
    CHAOS_MINUTES="$minutes" exec dotnet test "$CHAOS" -c Release --no-build --nologo --logger "console;verbosity=detailed"
    ;;
  *)
    echo "usage: ./build.sh dev|test|bench|pack|chaos [options]" >&2
    exit 2
    ;;
esac
