#!/usr/bin/env bash
# The repository's commands. Each installs what it needs first (Azurite from the committed npm lock file).
#   ./build.sh dev [dev server options]   run the dev server (Azurite + engine + HTTP API on http://127.0.0.1:7071)
#   ./build.sh test                       build everything, compile and lint infra/, try functions/, run every test
#   ./build.sh bench [benchmark options]  run the benchmark against a fresh in-memory Azurite
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

build_functions() {
  # functions/ needs the Azure Functions worker packages, which only the public NuGet registry has.
  local log
  log=$(mktemp)
  if dotnet build functions/ServerlessFlow.Functions.csproj -c Release --nologo -v quiet >"$log" 2>&1; then
    echo "functions/: built"
  elif grep -qE "NU1101|NU1102|NU1103|NU1301" "$log"; then
    echo "SKIPPED: functions/ was not built: its NuGet packages cannot be restored from this machine's package source ($(grep -oE "NU110[123]: Unable to find package [^ ]+" "$log" | head -1)). It builds wherever nuget.org is reachable."
  else
    cat "$log"
    echo "functions/: build FAILED"
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
}

run_tests() {
  local results status=0
  results=$(mktemp)
  dotnet build ServerlessFlow.sln -c Release --nologo -v quiet
  build_functions
  dotnet test ServerlessFlow.sln -c Release --no-build --nologo 2>&1 | tee "$results" || status=$?
  # One closing line over all test projects.
  awk '/(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
       END { gsub(",", "", p); printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$results"
  rm -f "$results"
  return $status
}

case "${1:-}" in
  dev)
    shift
    install_azurite
    dotnet build src/ServerlessFlow.DevServer -c Release --nologo -v quiet
    exec dotnet src/ServerlessFlow.DevServer/bin/Release/net10.0/serverlessflow-dev.dll "$@"
    ;;
  test)
    install_azurite
    run_tests
    ;;
  bench)
    shift
    install_azurite
    dotnet build bench/ServerlessFlow.Bench -c Release --nologo -v quiet
    exec dotnet bench/ServerlessFlow.Bench/bin/Release/net10.0/ServerlessFlow.Bench.dll "$@"
    ;;
  *)
    echo "usage: ./build.sh dev|test|bench [options]" >&2
    exit 2
    ;;
esac
