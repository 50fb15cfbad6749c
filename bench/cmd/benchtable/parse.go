package main

import (
	"bufio"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// samples holds, per benchmark name (without the -GOMAXPROCS suffix) and
// per unit, every value read.
type samples map[string]map[string][]float64

// procSuffix is the "-2" go test appends to a benchmark name.
var procSuffix = regexp.MustCompile(`-\d+$`)

// parse reads `go test -bench` output: lines "BenchmarkX/y-2  N  v unit  v unit…".
func parse(r io.Reader, into samples) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		if _, err := strconv.ParseInt(f[1], 10, 64); err != nil {
			continue
		}
		name := procSuffix.ReplaceAllString(strings.TrimPrefix(f[0], "Benchmark"), "")
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				break
			}
			if into[name] == nil {
				into[name] = map[string][]float64{}
			}
			into[name][f[i+1]] = append(into[name][f[i+1]], v)
		}
	}
	return sc.Err()
}

// median of vs; 0 for none.
func median(vs []float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(vs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// get returns the median of name's unit and whether it was measured.
func (s samples) get(name, unit string) (float64, bool) {
	vs := s[name][unit]
	return median(vs), len(vs) > 0
}

// count is how many runs of name were read.
func (s samples) count(name string) int {
	n := 0
	for _, vs := range s[name] {
		n = max(n, len(vs))
	}
	return n
}

// perRun evaluates f on every run of bench (f reads that run's values
// by unit) and returns the median: ratios taken within a run, between
// numbers measured side by side, before the median is taken across runs.
// The second result is false when bench did not run or a unit f reads is
// missing.
func (s samples) perRun(bench string, f func(v func(unit string) float64) float64) (float64, bool) {
	vs, ok := s.perRunValues(bench, f)
	return median(vs), ok
}

// perRunValues is perRun's values, one per run, before the median.
func (s samples) perRunValues(bench string, f func(v func(unit string) float64) float64) ([]float64, bool) {
	n := s.count(bench)
	var out []float64
	ok := n > 0
	for i := range n {
		v := func(unit string) float64 {
			vs := s[bench][unit]
			if i >= len(vs) {
				ok = false
				return 0
			}
			return vs[i]
		}
		out = append(out, f(v))
	}
	return out, ok
}

// crossRatio is the median over rounds of num's unit divided by den's, the
// i-th value of each being from the same round.
func (s samples) crossRatio(num, den, unit string) (float64, bool) {
	a, b := s[num][unit], s[den][unit]
	n := min(len(a), len(b))
	if n == 0 {
		return 0, false
	}
	out := make([]float64, n)
	for i := range n {
		out[i] = a[i] / b[i]
	}
	return median(out), true
}
