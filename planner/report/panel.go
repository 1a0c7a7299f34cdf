package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/rlplan/rlplan/geo/webmap"
)

// Figures are the headline figures of a plan for the map's panel.
type Figures struct {
	Area     string // "CN-GD", "CN"
	Year     int
	RadiusKm float64
	// RetiringT is the year's retirements in the area, t.
	RetiringT float64
	// CoveredBefore is the share of tonnes within reach of existing
	// outlets; CoveredAfter with the NewSites (siting ran when Sited).
	CoveredBefore, CoveredAfter float64
	Sited                       bool
	NewSites                    int
	// Week figures, when Week is not empty: DueT is what the outlets due
	// that week hold (collected + left at outlets not served), CollectedT
	// what the trucks picked up.
	Week                   string
	DueT, CollectedT       float64
	CostPerT, CO2KgPerT    float64
	UnservedOutlets        int
	BeyondReachTPerYear    float64
	Hubs, LineHaulLegs     int // from the network plan, when it has them
	InterruptedPartialPlan bool
}

// Panel formats the figures as the map's KPI panel.
func Panel(f Figures) *webmap.Panel {
	p := &webmap.Panel{Title: fmt.Sprintf("%s %d", f.Area, f.Year)}
	if f.Week != "" {
		p.Title += ", week " + f.Week
	}
	add := func(label, value, note string) {
		p.Rows = append(p.Rows, webmap.PanelRow{Label: label, Value: value, Note: note})
	}
	add("Retiring", Thousands(f.RetiringT, 0)+" t/yr", "")
	reach := fmt.Sprintf("Within %g km", f.RadiusKm)
	if f.Sited {
		add(reach, Percent(f.CoveredBefore)+" \u2192 "+Percent(f.CoveredAfter), fmt.Sprintf("with %d new sites", f.NewSites))
	} else {
		add(reach, Percent(f.CoveredBefore), "existing outlets")
	}
	if f.BeyondReachTPerYear > 0 {
		add("Beyond reach", Thousands(f.BeyondReachTPerYear, 0)+" t/yr", "")
	}
	if f.Week != "" {
		add("Due this week", Thousands(f.DueT, 0)+" t", "collected + waiting")
		share := ""
		if f.DueT > 0 {
			share = Percent(f.CollectedT/f.DueT) + " of due"
		}
		add("Collected", Thousands(f.CollectedT, 0)+" t", share)
		add("Cost", Thousands(f.CostPerT, 0)+" CNY/t", "collection transport")
		add("CO\u2082", strconv.FormatFloat(round(f.CO2KgPerT, 1), 'f', 1, 64)+" kg/t", "collection transport")
		add("Outlets not served", Thousands(float64(f.UnservedOutlets), 0), "by reason on the map")
	}
	if f.Hubs > 0 || f.LineHaulLegs > 0 {
		add("Hubs, line-haul legs", fmt.Sprintf("%d, %d", f.Hubs, f.LineHaulLegs), "")
	}
	if f.InterruptedPartialPlan {
		add("Interrupted", "yes", "best results before the stop")
	}
	return p
}

// Thousands formats x with d decimals and commas between thousands.
func Thousands(x float64, d int) string {
	s := strconv.FormatFloat(math.Abs(round(x, d)), 'f', d, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if x < 0 && round(x, d) != 0 {
		b.WriteByte('-')
	}
	for i, ch := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(ch)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}

// Percent formats a share as a percentage with one decimal.
func Percent(share float64) string {
	return strconv.FormatFloat(round(100*share, 1), 'f', 1, 64) + " %"
}
