package main

import (
	"hash/fnv"
	"math"
	"sort"
)

const earthRadiusKm = 6371.0088

// haversineKm is the great-circle distance in km.
func haversineKm(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	dlat := (lat2 - lat1) * rad
	dlon := (lon2 - lon1) * rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * earthRadiusKm * math.Asin(math.Min(1, math.Sqrt(a)))
}

// unitHash maps a key to [0,1) deterministically (FNV-1a, top 53 bits), so
// that synthetic jitter and multipliers never depend on a global RNG or on
// iteration order.
func unitHash(key string) float64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return float64(h.Sum64()>>11) / (1 << 53)
}

// largestRemainder splits total into integers proportional to weights that
// sum to total exactly. Ties in the fractional part go to the lower index, so
// the result depends only on the inputs.
func largestRemainder(total int64, weights []float64) []int64 {
	out := make([]int64, len(weights))
	var sum float64
	for _, w := range weights {
		sum += w
	}
	if total == 0 || sum <= 0 {
		return out
	}
	type frac struct {
		i int
		f float64
	}
	fr := make([]frac, len(weights))
	var given int64
	for i, w := range weights {
		q := float64(total) * (w / sum)
		fl := math.Floor(q)
		out[i] = int64(fl)
		given += out[i]
		fr[i] = frac{i, q - fl}
	}
	sort.SliceStable(fr, func(a, b int) bool { return fr[a].f > fr[b].f })
	for k := int64(0); k < total-given; k++ {
		out[fr[k%int64(len(fr))].i]++
	}
	return out
}

// weibullCDF is F(x) = 1 - exp(-(x/scale)^shape) for x > 0, else 0.
func weibullCDF(x, shape, scale float64) float64 {
	if x <= 0 {
		return 0
	}
	return 1 - math.Exp(-math.Pow(x/scale, shape))
}
