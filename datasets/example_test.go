package datasets_test

import (
	"bufio"
	"fmt"

	"github.com/rlplan/rlplan/datasets"
)

// ExampleOpen reads the header of the embedded vehicle stock.
func ExampleOpen() {
	f, err := datasets.Open(datasets.Stock)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan()
	fmt.Println(sc.Text())
	// Output: region_id,name,province,lat,lon,model_year,vehicle_type,vehicles
}
