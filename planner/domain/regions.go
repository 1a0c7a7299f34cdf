package domain

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Regions restricts work to provinces. The zero value keeps the whole
// country.
type Regions struct {
	codes map[string]bool // nil = all
}

// ParseRegions accepts ISO 3166-2 codes (CN-GD) and CN for the whole
// country, checked against the provinces present in the inputs.
func ParseRegions(in *Inputs, codes []string) (Regions, error) {
	if len(codes) == 0 {
		return Regions{}, nil
	}
	known := in.ProvinceCodes()
	r := Regions{codes: map[string]bool{}}
	for _, c := range codes {
		for _, c := range strings.Split(c, ",") {
			c = strings.ToUpper(strings.TrimSpace(c))
			if c == "CN" {
				return Regions{}, nil
			}
			if !known[c] {
				list := make([]string, 0, len(known))
				for k := range known {
					list = append(list, k)
				}
				sort.Strings(list)
				return Regions{}, &RegionError{Code: c, Known: list}
			}
			r.codes[c] = true
		}
	}
	return r, nil
}

// RegionError is a province code that the inputs do not have. It is a usage
// error (exit code 2): the flag or the scenario's regions key is wrong.
type RegionError struct {
	Code  string
	Known []string
}

func (e *RegionError) Error() string {
	return fmt.Sprintf("region %q: not a province of the inputs; want CN or one of %s", e.Code, strings.Join(e.Known, " "))
}

// ExitCode marks the error as a usage error.
func (e *RegionError) ExitCode() int { return 2 }

// Keep reports whether a province is inside the selection.
func (r Regions) Keep(province string) bool { return r.codes == nil || r.codes[province] }

// All reports whether the selection is the whole country.
func (r Regions) All() bool { return r.codes == nil }

// String lists the selection, "CN" for the whole country.
func (r Regions) String() string {
	if r.codes == nil {
		return "CN"
	}
	l := make([]string, 0, len(r.codes))
	for c := range r.codes {
		l = append(l, c)
	}
	sort.Strings(l)
	return strings.Join(l, ",")
}

// ProvinceCodes returns the provinces that appear in stock, outlets or
// plants.
func (in *Inputs) ProvinceCodes() map[string]bool {
	m := map[string]bool{}
	for _, s := range in.Stock {
		m[s.Province] = true
	}
	for _, o := range in.Outlets {
		m[o.Province] = true
	}
	for _, p := range in.Plants {
		m[p.Province] = true
	}
	return m
}

// ProvinceNames maps ISO codes to English names from the boundary file.
func (in *Inputs) ProvinceNames() map[string]string {
	var fc struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	out := map[string]string{}
	if json.Unmarshal(in.ProvincesGeoJSON, &fc) != nil {
		return out
	}
	for _, f := range fc.Features {
		code, _ := f.Properties["iso_3166_2"].(string)
		name, _ := f.Properties["name"].(string)
		if code != "" {
			out[code] = name
		}
	}
	return out
}
