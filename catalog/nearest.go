package catalog

// distance is the optimal-string-alignment edit distance between a and b
// (insertions, deletions, substitutions and adjacent transpositions, each
// costing 1), over bytes.
func distance(a, b string) int {
	if len(a) > len(b) {
		a, b = b, a
	}
	// Three rows of the dynamic-programming table.
	prev2 := make([]int, len(a)+1)
	prev := make([]int, len(a)+1)
	cur := make([]int, len(a)+1)
	for i := range prev {
		prev[i] = i
	}
	for j := 1; j <= len(b); j++ {
		cur[0] = j
		for i := 1; i <= len(a); i++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[i] = min(prev[i]+1, cur[i-1]+1, prev[i-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[i] = min(cur[i], prev2[i-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(a)]
}

// close reports whether a distance d between a typed name of length n and
// a candidate is small enough to suggest the candidate.
func closeEnough(d, n int) bool { return d <= max(2, n/3) }

// nearest returns the candidate closest to name and whether it is close
// enough to suggest. Ties go to the earlier candidate.
func nearest(name string, candidates []string) (string, bool) {
	best, bestD := "", -1
	for _, c := range candidates {
		if d := distance(name, c); bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	return best, bestD >= 0 && closeEnough(bestD, len(name))
}
