package planner

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// A typed sites.csv row is a SiteRecord's ten columns, then the three of the
// typing, in that order, in CSV and as flat JSON keys; a new site and an
// upgrade each give one row with their own action.
func TestTypedSiteRecordsLayout(t *testing.T) {
	site := Site{Outlet: Outlet{ID: "S1", Name: "new site", Point: orb.Point{113.25, 23.125}, Province: "CN-GD", Type: "collection", CapacityKg: 5000},
		Source: "cell", CapturedTonnes: 12.345, CapturedCells: 3, SiteType: "collection", YearlyCost: 120000.4}
	up := UpgradedOutlet{Outlet: Outlet{ID: "O7", Name: "outlet", Point: orb.Point{113.5, 23.5}, Province: "CN-GD", Type: "central", CapacityKg: 20000},
		FromType: "collection", FromKg: 5000, SiteType: "central", YearlyCost: 80000, AbsorbedT: 40.004}
	recs := TypedSiteRecords([]Site{site}, []UpgradedOutlet{up})
	var csv bytes.Buffer
	if err := WriteCSV(&csv, recs); err != nil {
		t.Fatal(err)
	}
	want := "id,name,lat,lon,province,type,capacity_kg,captured_tonnes,captured_cells,source,site_type,action,yearly_cost_cny\n" +
		"S1,new site,23.125,113.25,CN-GD,collection,5000,12.35,3,cell,collection,new,120000\n" +
		"O7,outlet,23.5,113.5,CN-GD,central,20000,40,0,upgrade of collection O7 (5000 kg),central,upgrade,80000\n"
	if csv.String() != want {
		t.Errorf("sites.csv:\n%s\nwant:\n%s", csv.String(), want)
	}
	js, err := json.Marshal(recs[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"id":"S1"`, `"captured_cells":3`, `"site_type":"collection"`, `"action":"new"`, `"yearly_cost_cny":120000`} {
		if !strings.Contains(string(js), key) {
			t.Errorf("JSON row %s lacks %s", js, key)
		}
	}
	if strings.Contains(string(js), "SiteRecord") {
		t.Errorf("JSON row %s nests the embedded record", js)
	}
}
