package roads

import (
	"fmt"
	"math"
	"sort"

	"github.com/paulmach/orb"
)

// PlaceOptions control Place. Zero values mean the documented defaults.
type PlaceOptions struct {
	// WarnKm: points placed farther than this from their road are listed in
	// Placement.Far. 0 means 0.5 km (assumption: an outlet or a plant at a
	// street address lies within a few hundred metres of its road's centre
	// line; farther suggests a wrong coordinate or a road missing in OSM).
	WarnKm float64
	// MaxKm: points farther than this from every usable road are not placed
	// and all their pairs are unreachable. 0 means 5 km (assumption: ten
	// times WarnKm; beyond it a straight access leg would be a guess).
	MaxKm float64
	// MaxUnplacedShare: when more than this share of the points cannot be
	// placed, Place fails with ErrFragmented. 0 means 0.1.
	MaxUnplacedShare float64
}

func (o *PlaceOptions) defaults() {
	if o.WarnKm == 0 {
		o.WarnKm = 0.5
	}
	if o.MaxKm == 0 {
		o.MaxKm = 5
	}
	if o.MaxUnplacedShare == 0 {
		o.MaxUnplacedShare = 0.1
	}
}

// FarPoint is a point far from the road graph.
type FarPoint struct {
	Index int
	ID    string
	Km    float64 // distance to the nearest usable road (+Inf: none within 512 km)
}

// Placement is the result of Place.
type Placement struct {
	Snaps []Snap // aligned with the points; Seg -1 for an unplaced point
	// Far are the placed points farther than WarnKm from their road, and
	// Unplaced those farther than MaxKm, both farthest first.
	Far, Unplaced []FarPoint
}

// Place snaps named points onto the graph for Matrix and checks that the
// graph can serve them. It fails with ErrOutside when a point lies outside
// the file's area (the PBF's declared bounds, or the box of its roads,
// widened by MaxKm), naming the points, and with ErrFragmented when more than
// MaxUnplacedShare of them are farther than MaxKm from the largest strongly
// connected part of the graph. ids name the points in messages.
func (g *Graph) Place(ids []string, pts []orb.Point, opt *PlaceOptions) (*Placement, error) {
	var o PlaceOptions
	if opt != nil {
		o = *opt
	}
	o.defaults()
	if len(ids) != len(pts) {
		return nil, fmt.Errorf("roads: %d ids for %d points", len(ids), len(pts))
	}
	area := g.Info.Area()
	var outside []string
	for i, p := range pts {
		if !area.Contains(p, o.MaxKm) {
			outside = append(outside, fmt.Sprintf("%s (%.4f, %.4f)", ids[i], p[1], p[0]))
		}
	}
	if len(outside) > 0 {
		return nil, &InputError{Err: ErrOutside, Msg: fmt.Sprintf("%d of %d points lie outside the extract's area (%s): %s; want an extract that covers them all, or only the points inside it",
			len(outside), len(pts), area, listIDs(outside, 5))}
	}
	pl := &Placement{Snaps: g.SnapPoints(pts)}
	for i, s := range pl.Snaps {
		km := s.DistM / 1000
		switch {
		case km > o.MaxKm:
			pl.Unplaced = append(pl.Unplaced, FarPoint{i, ids[i], km})
			pl.Snaps[i].Seg = -1
		case km > o.WarnKm:
			pl.Far = append(pl.Far, FarPoint{i, ids[i], km})
		}
	}
	for _, l := range [][]FarPoint{pl.Far, pl.Unplaced} {
		sort.SliceStable(l, func(a, b int) bool { return l[a].Km > l[b].Km })
	}
	if n := len(pl.Unplaced); n > 0 && float64(n) > o.MaxUnplacedShare*float64(len(pts)) {
		w := pl.Unplaced[0]
		worst := "none within 512 km"
		if !math.IsInf(w.Km, 1) {
			worst = fmt.Sprintf("%.1f km", w.Km)
		}
		share := 100 * float64(g.Info.MainVertices) / math.Max(1, float64(g.Info.Vertices))
		return nil, &InputError{Err: ErrFragmented, Msg: fmt.Sprintf("%d of %d points are more than %g km from the largest connected part of the road graph (%d of %d vertices, %.1f %%; farthest: %s, %s); want at most %.0f %% of the points that far (is the extract complete? are the points in it?)",
			n, len(pts), o.MaxKm, g.Info.MainVertices, g.Info.Vertices, share, w.ID, worst, 100*o.MaxUnplacedShare)}
	}
	return pl, nil
}
