#!/usr/bin/env bash
# Vendor Leaflet.markercluster from the npm registry into geo/webmap/assets/markercluster.
#
#   scripts/vendor-markercluster.sh 1.5.3
#
# It runs `npm pack` in a temporary folder (nothing is installed), checks the tarball against
# the registry's integrity field, copies the dist files and the licence unmodified, and prints
# the lines to paste into geo/webmap/assets/markercluster/README.md. Then set
# MarkerClusterVersion in geo/webmap/webmap.go and run `go test ./geo/webmap` (the test compares
# the README's checksums with the embedded files, and the browser tests load the plugin).
set -euo pipefail
version=${1:?usage: $0 VERSION (e.g. 1.5.3)}
repo=$(cd "$(dirname "$0")/.." && pwd)
dest=$repo/geo/webmap/assets/markercluster
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
tgz=$(npm pack --silent "leaflet.markercluster@$version")
want=$(npm view "leaflet.markercluster@$version" dist.integrity)
got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
if [ "$want" != "$got" ]; then
  echo "integrity mismatch: registry $want, tarball $got" >&2
  exit 1
fi
tar xzf "$tgz"
mkdir -p "$dest"
cp package/dist/leaflet.markercluster.js package/dist/MarkerCluster.css package/dist/MarkerCluster.Default.css "$dest/"
cp package/MIT-LICENCE.txt "$dest/LICENSE"
echo "Leaflet.markercluster $version: tarball $got, shasum $(npm view "leaflet.markercluster@$version" dist.shasum)"
echo "licence: $(npm view "leaflet.markercluster@$version" license); peer leaflet $(npm view "leaflet.markercluster@$version" peerDependencies.leaflet)"
(cd "$dest" && sha256sum leaflet.markercluster.js MarkerCluster.css MarkerCluster.Default.css LICENSE)
