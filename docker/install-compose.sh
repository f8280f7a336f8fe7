#!/usr/bin/env bash
# Installs Docker Compose v2 as a docker CLI plugin (`docker compose`) where the docker CLI has none:
# built from its Go module (github.com/docker/compose/v2) with the local Go toolchain, since only
# package registries are reachable here. Used by the compose-file test; a Docker host with Docker's own
# packages already has the plugin.
#   COMPOSE_VERSION (v2.40.3)   COMPOSE_PLUGIN_DIR (/usr/local/lib/docker/cli-plugins)
set -euo pipefail
version=${COMPOSE_VERSION:-v2.40.3}
plugins=${COMPOSE_PLUGIN_DIR:-/usr/local/lib/docker/cli-plugins}
if docker compose version >/dev/null 2>&1; then
  echo "install-compose: $(docker compose version)" >&2
  exit 0
fi
command -v go >/dev/null || { echo "install-compose: needs the Go toolchain (go)" >&2; exit 1; }
src=$(go mod download -json "github.com/docker/compose/v2@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[[ -d $src ]] || { echo "install-compose: could not download github.com/docker/compose/v2@$version" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$src/." "$work"
chmod -R u+w "$work"
echo "install-compose: building docker compose $version (a few minutes)" >&2
(cd "$work" && go build -trimpath -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=$version" \
  -o "$work/docker-compose" ./cmd)
mkdir -p "$plugins"
install -m 0755 "$work/docker-compose" "$plugins/docker-compose"
docker compose version >&2
