package planner

import (
	"fmt"
	"strings"

	"github.com/rlplan/rlplan/planner/domain"
)

// inputsSection renders the report's list of inputs: where each came from
// and, for the default dataset's files, what they are, synthetic ones
// named first so a reader knows which results are illustrative.
func inputsSection(srcs []domain.InputSource) string {
	if len(srcs) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n## Inputs\n\n")
	if syn := domain.Synthetic(srcs); len(syn) > 0 {
		fmt.Fprintf(&b, "**Synthetic inputs: %s** (embedded defaults, plausible stand-ins, not real facts): results that rest on them are illustrative. Replace them with your own files (docs/input-formats.md).\n\n",
			strings.Join(syn, ", "))
	}
	b.WriteString("| input | from | what it is |\n|---|---|---|\n")
	for _, s := range srcs {
		from, what := "embedded default", s.Status
		if !s.Default() {
			from, what = "`"+s.Path+"`", "your file"
		} else if s.Note != "" {
			what += ": " + s.Note
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", s.Name, from, what)
	}
	b.WriteString("\nSources of every default figure: datasets/README.md.\n")
	return b.String()
}

// dataNote is the map footer's line on synthetic inputs.
func dataNote(srcs []domain.InputSource) string {
	syn := domain.Synthetic(srcs)
	if len(syn) == 0 {
		return "Data: World Cities Database by SimpleMaps.com (CC BY 4.0); GeoNames (CC BY 4.0); MIIT/MPS/MoT figures (see datasets/README.md)."
	}
	return fmt.Sprintf("Data: World Cities Database by SimpleMaps.com (CC BY 4.0); GeoNames (CC BY 4.0); MIIT/MPS/MoT figures. Synthetic inputs: %s (see datasets/README.md).", strings.Join(syn, ", "))
}

// intakeNotes names the plants that used their whole weekly intake and
// what their intake rests on (a cited capacity, or an assumed one), so a
// shortage of plant intake can be traced to its source.
func intakeNotes(plants []PlantKPI, all []Plant) string {
	byID := map[string]Plant{}
	for _, p := range all {
		byID[p.ID] = p
	}
	var b strings.Builder
	for _, k := range plants {
		if k.IntakeShare < 0.99 {
			continue
		}
		p := byID[k.ID]
		basis := "no capacity stated in the plants file"
		if p.CapacityBasis != "" {
			// A source may already open with its basis ("assumed: ...").
			src := strings.TrimPrefix(p.Source, p.CapacityBasis+": ")
			basis = fmt.Sprintf("capacity %.0f t/yr, %s: %s", p.CapacityTPerYear, p.CapacityBasis, src)
		}
		fmt.Fprintf(&b, "- %s %s used its weekly intake (%.1f t): %s\n", k.ID, p.Name, k.IntakeT, basis)
	}
	if b.Len() == 0 {
		return ""
	}
	return "\nPlants at their intake limit:\n\n" + b.String()
}
