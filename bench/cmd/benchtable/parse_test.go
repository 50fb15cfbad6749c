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
