package routing

// Split pickups. A Splittable job that does not fit the smallest vehicle
// type allowed to carry it is divided, before the search, into the fewest
// near-equal pieces that each fit every such type; each piece is a visit
// (an internal job) of its own. Near-equal pieces leave room for other
// pickups on every truck that takes one (Dror & Trudeau 1989 show that
// split deliveries save by filling vehicles), and a larger vehicle can still
// take several pieces. The pieces of a job are contiguous internal indexes.

// allowsType reports whether job j may ride type t.
func (p *Problem) allowsType(j, t int) bool {
	at := p.Jobs[j].AllowedTypes
	if len(at) == 0 {
		return true
	}
	for _, x := range at {
		if x == t {
			return true
		}
	}
	return false
}

// pieces returns how many visits job j is served in: 1 unless it is
// Splittable and exceeds, in some dimension, the smallest capacity among
// the allowed types that can carry every dimension it needs.
func (p *Problem) pieces(j int) int {
	job := &p.Jobs[j]
	if !job.Splittable {
		return 1
	}
	smallest := make([]int64, len(job.Amount))
	found := false
	for t := range p.Vehicles {
		c := p.Vehicles[t].Capacity
		if !p.allowsType(j, t) || len(c) != len(job.Amount) {
			continue
		}
		carries := true
		for d, a := range job.Amount {
			if a > 0 && c[d] <= 0 {
				carries = false
			}
		}
		if !carries {
			continue
		}
		for d := range smallest {
			if !found || c[d] < smallest[d] {
				smallest[d] = c[d]
			}
		}
		found = true
	}
	if !found {
		return 1 // no type can carry it: reported as a capacity failure
	}
	k := int64(1)
	for d, a := range job.Amount {
		if a > 0 {
			k = max(k, (a+smallest[d]-1)/smallest[d])
		}
	}
	if k > MaxPieces+1 {
		k = MaxPieces + 1 // Validate reports it; avoid overflowing int
	}
	return int(k)
}

// pieceAmount writes piece i of k of amount a into dst: each dimension
// divided as evenly as integers allow, the first a[d]%k pieces one larger.
func pieceAmount(dst, a []int64, i, k int) {
	for d, x := range a {
		dst[d] = x / int64(k)
		if int64(i) < x%int64(k) {
			dst[d]++
		}
	}
}
