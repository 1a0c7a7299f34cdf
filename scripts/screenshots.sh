#!/usr/bin/env bash
# Regenerate the map screenshots of the README (docs/map-*.png) in headless Chromium:
#
#   scripts/screenshots.sh
#
# It plans Guangdong (the default scenario) and the whole country into a temporary folder,
# then opens each map.html with the TestScreenshot test of geo/webmap (1280 x 900 pixels),
# which fails on any console error. Needs Chromium (Debian: apt-get install chromium) and a CJK
# font for the plant names (fonts-noto-cjk). The plans are deterministic; the images change only
# when the data, the planner or the page do.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  echo "screenshots.sh: no Chromium found; install it (Debian: apt-get install chromium)" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/rlplan" ./cmd/rlplan
echo "planning Guangdong and the whole country (about a minute)..." >&2
"$tmp/rlplan" plan --log-level error --out "$tmp/gd" >/dev/null
"$tmp/rlplan" plan --log-level error --region CN --out "$tmp/cn" >/dev/null

# shoot PAGE PNG [lat,lon,zoom] [theme]
shoot() {
  RLPLAN_SCREENSHOT_PAGE="$1" RLPLAN_SCREENSHOT_OUT="$PWD/$2" RLPLAN_SCREENSHOT_VIEW="${3:-}" \
    RLPLAN_SCREENSHOT_THEME="${4:-}" go test -count=1 -run '^TestScreenshot$' ./geo/webmap >/dev/null
  echo "wrote $2" >&2
}
shoot "$tmp/gd/map.html" docs/map-guangdong.png
shoot "$tmp/gd/map.html" docs/map-guangzhou.png 23.1,113.35,9.5
shoot "$tmp/cn/map.html" docs/map-china.png
shoot "$tmp/cn/map.html" docs/map-china-collected.png "" "Collected this week (share of due)"
