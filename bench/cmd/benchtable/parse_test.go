package main

import (
	"strings"
	"testing"
)

func TestParseAndMedian(t *testing.T) {
	out := `goos: linux
BenchmarkPost/a_floor-2   	     573	   2103730 ns/op	   1037452 cpu-ns/op	   10916 B/op	     101 allocs/op
BenchmarkPost/a_floor-2   	     600	   2000000 ns/op	   1000000 cpu-ns/op	   10900 B/op	     100 allocs/op
BenchmarkPost/a_floor-2   	     610	   1900000 ns/op	   1100000 cpu-ns/op	   10900 B/op	     102 allocs/op
BenchmarkScaling/inflight=512/b_ours-2 	       1	   2362297 ns/op	     51599 B/inflight	   423.3 req/s
PASS
`
	s := samples{}
	if err := parse(strings.NewReader(out), s); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, unit string
		want       float64
	}{
		{"Post/a_floor", "ns/op", 2000000},
		{"Post/a_floor", "allocs/op", 101},
		{"Post/a_floor", "cpu-ns/op", 1037452},
		{"Scaling/inflight=512/b_ours", "req/s", 423.3},
		{"Scaling/inflight=512/b_ours", "B/inflight", 51599},
	} {
		if got, ok := s.get(c.name, c.unit); !ok || got != c.want {
			t.Errorf("%s %s = %v (%v), want %v", c.name, c.unit, got, ok, c.want)
		}
	}
	if n := s.count("Post/a_floor"); n != 3 {
		t.Errorf("count = %d, want 3", n)
	}
	if _, ok := s.get("Post/b_ours", "ns/op"); ok {
		t.Error("a benchmark that did not run reads as measured")
	}
	if got := median([]float64{4, 1, 3, 2}); got != 2.5 {
		t.Errorf("median of an even count = %v, want 2.5", got)
	}
}

// TestRatiosWithinRuns: a ratio is taken within each run (or round) before
// the median, not between medians.
func TestRatiosWithinRuns(t *testing.T) {
	out := `BenchmarkInterleaved/Post-2  10  100 a-ns/call  110 b-ns/call
BenchmarkInterleaved/Post-2  10  200 a-ns/call  200 b-ns/call
BenchmarkInterleaved/Post-2  10  400 a-ns/call  480 b-ns/call
BenchmarkScaling/x/a-2  1  10 req/s
BenchmarkScaling/x/b-2  1  9 req/s
BenchmarkScaling/x/a-2  1  100 req/s
BenchmarkScaling/x/b-2  1  95 req/s
`
	s := samples{}
	if err := parse(strings.NewReader(out), s); err != nil {
		t.Fatal(err)
	}
	// Per run: 1.1, 1.0, 1.2 -> median 1.1 (medians of each would give 220/200).
	if got, ok := s.ratio("Interleaved/Post", "b-ns/call", "a-ns/call"); !ok || got != 1.1 {
		t.Errorf("ratio = %v (%v), want 1.1", got, ok)
	}
	if _, ok := s.ratio("Interleaved/Post", "c-ns/call", "a-ns/call"); ok {
		t.Error("a ratio over a missing unit reads as measured")
	}
	if got, ok := s.crossRatio("Scaling/x/b", "Scaling/x/a", "req/s"); !ok || got != (0.9+0.95)/2 {
		t.Errorf("crossRatio = %v (%v), want 0.925", got, ok)
	}
}
