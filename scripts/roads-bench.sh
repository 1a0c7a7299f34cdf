#!/usr/bin/env bash
# Road-graph scaling benchmark (BENCHMARKS.md, "Road graph"): build without
# cache, load from cache, and a 150 x 1,000 matrix, with /usr/bin/time, on
# the Delaware extract shipped by github.com/paulmach/osm, two bounding-box
# subsets of it, and 2x2, 3x3 and 4x4 tilings of it (copies shifted 0.9 deg
# east and 1.7 deg north, joined by two-way trunk roads; OSM data ©
# OpenStreetMap contributors, ODbL). Needs osmium (osmium-tool), python3 and
# GNU time.
#   scripts/roads-bench.sh [WORKDIR]     (default /tmp/roads-bench)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-/tmp/roads-bench}"
mkdir -p "$work"
cd "$work"
de="$(go -C "$root" list -m -f '{{.Dir}}' github.com/paulmach/osm)/testdata/delaware-latest.osm.pbf"
cp "$de" de100.osm.pbf
chmod u+w de100.osm.pbf
osmium extract -b -75.7897,39.45,-74.9612,40.0322 de100.osm.pbf -o de_north.osm.pbf --overwrite -s complete_ways
osmium extract -b -75.7897,38.95,-74.9612,40.0322 de100.osm.pbf -o de_half.osm.pbf --overwrite -s complete_ways
osmium cat de100.osm.pbf -o de.opl --overwrite -f opl
cat > tile.py <<'PY'
import re, sys
src, k, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
DX, DY, NOFF, WOFF = 0.9, 1.7, 10**10, 10**9
lines = [l.rstrip('\n') for l in open(src) if l[0] in 'nw']
hub = next(int(re.search(r' Nn(\d+)', l).group(1)) for l in lines
           if l[0] == 'w' and 'highway=primary' in l and 'oneway' not in l)
with open(out, 'w') as f:
    for c in range(k*k):
        cx, cy = c % k, c // k
        for l in lines:
            parts = l.split(' ')
            tags = [p for p in parts if p.startswith('T')]
            if l[0] == 'n':
                x = float([p for p in parts if p.startswith('x')][0][1:]) + cx*DX
                y = float([p for p in parts if p.startswith('y')][0][1:]) + cy*DY
                f.write(f"n{int(parts[0][1:]) + c*NOFF} v1 {tags[0] if tags else 'T'} x{x:.7f} y{y:.7f}\n")
            else:
                nodes = [p for p in parts if p.startswith('N')][0][1:]
                ns = ','.join('n%d' % (int(n[1:]) + c*NOFF) for n in nodes.split(',') if n)
                f.write(f"w{int(parts[0][1:]) + c*WOFF} v1 {tags[0]} N{ns}\n")
    wid = 9*10**12
    for c in range(k*k):
        cx, cy = c % k, c // k
        for nx, ny in ([(cx+1, cy)] if cx+1 < k else []) + ([(cx, cy+1)] if cy+1 < k else []):
            wid += 1
            f.write(f"w{wid} v1 Thighway=trunk Nn{hub + c*NOFF},n{hub + (ny*k + nx)*NOFF}\n")
PY
for k in 2 3 4; do
  python3 tile.py de.opl $k de_x$k.opl
  osmium sort de_x$k.opl -o de_x$k.osm.pbf --overwrite
  rm de_x$k.opl
done
go -C "$root" build -o "$work/rlplan" ./cmd/rlplan
sizes="de_north de_half de100 de_x2 de_x3 de_x4"
for f in $sizes; do
  go -C "$root" run ./scripts/roadsbench "$work/$f.osm.pbf" 150 1 > $f.from.csv
  go -C "$root" run ./scripts/roadsbench "$work/$f.osm.pbf" 1000 2 > $f.to.csv
done
for f in $sizes; do
  rm -f $f.osm.pbf.rlroads
  for what in build load matrix; do
    case $what in
      build|load) cmd="./rlplan roads info --osm $f.osm.pbf --log-level info" ;;
      matrix) cmd="./rlplan roads matrix --osm $f.osm.pbf --from $f.from.csv --to $f.to.csv --log-level info --max-unplaced 0.5" ;;
    esac
    echo "== $f $what load=$(cut -d' ' -f1 /proc/loadavg)"
    /usr/bin/time -f "%e s wall, %U s user, %S s sys, %M KB maxrss" $cmd 2>&1 >/dev/null |
      grep -E "road graph (built|from cache)|road searches|maxrss" | sed 's/time=[^ ]* level=INFO //'
  done
done
