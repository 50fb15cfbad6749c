// Command benchtable turns the output of the bench module's benchmarks
// (several runs, concatenated) into the Markdown tables of
// docs/benchmarks.md: medians over the runs, ratios to the raw net/http
// floor (a), and a check of the published targets.
//
// Usage: benchtable [file…]   (standard input when no file is given)
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
)

// Contestants, as the benchmarks name them.
var contestants = []struct{ key, label string }{
	{"a_floor", "(a) raw net/http (floor)"},
	{"b_ours", "(b) this library, sync"},
	{"b_ours_async", "(b) this library, async (future)"},
	{"b_ours_async_max64", "(b) async, MaxConcurrent 64"},
	{"c_official", "(c) wechatpay-go v0.2.21"},
}

var levels = []string{"1", "8", "64", "512"}

func main() {
	s := samples{}
	if len(os.Args) == 1 {
		must(parse(os.Stdin, s))
	}
	for _, name := range os.Args[1:] {
		f, err := os.Open(name)
		must(err)
		must(parse(f, s))
		f.Close()
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	write(w, s)
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
}

func write(w io.Writer, s samples) {
	fmt.Fprintf(w, "Machine: %d CPUs (`nproc`), %s, %s, %s/%s. Medians of %d rounds (interleaved benchmarks) and %d rounds (scaling).\n\n",
		runtime.NumCPU(), cpuModel(), runtime.Version(), runtime.GOOS, runtime.GOARCH,
		s.count("Interleaved/Post"), s.count("Scaling/inflight=512/a_floor"))
	for _, call := range []struct{ name, title string }{
		{"Post", "POST with a JSON body (seed example, answered 204)"},
		{"Get", "GET with a query (order query, answered 200 with a JSON body)"},
	} {
		perRequest(w, s, call.name, call.title)
	}
	callbacks(w, s)
	scaling(w, s)
	targets(w, s)
}

// ratio is the median over the runs of bench of num/den.
func (s samples) ratio(bench, num, den string) (float64, bool) {
	return s.perRun(bench, func(v func(string) float64) float64 { return v(num) / v(den) })
}

// ratioRange formats the median of num/den over the runs of bench with
// the lowest and highest run: "1.003 (0.991–1.020)".
func (s samples) ratioRange(bench, num, den string) string {
	vs, _ := s.perRunValues(bench, func(v func(string) float64) float64 { return v(num) / v(den) })
	if len(vs) < 2 {
		return fmt.Sprintf("%.3f", median(vs))
	}
	return fmt.Sprintf("%.3f (%.3f–%.3f)", median(vs), slices.Min(vs), slices.Max(vs))
}

func perRequest(w io.Writer, s samples, call, title string) {
	il := "Interleaved/" + call
	floorNs, ok := s.get(il, "a_floor-ns/call")
	if !ok {
		return
	}
	floorCPU, _ := s.get(il, "a_floor-cpu-ns/call")
	sign, _ := s.get(il, "rsa_sign-cpu-ns/call")
	verify, _ := s.get(il, "rsa_verify-cpu-ns/call")
	fmt.Fprintf(w, "### %s\n\n", title)
	fmt.Fprintf(w, "For scale: (a) takes %.0f µs per request, %.0f µs of it CPU of the client process; an RSA sign takes %.0f µs and a verify %.0f µs of CPU, interleaved with the calls.\n\n",
		floorNs/1e3, floorCPU/1e3, sign/1e3, verify/1e3)
	fmt.Fprintln(w, "| contestant | time ×(a) (lowest–highest round) | client CPU ×(a) | = RSA sign | + RSA verify | + everything else | everything else ×(a)'s | allocs/request | bytes/request |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	const cpu, wall = "-cpu-ns/call", "-ns/call"
	for _, c := range contestants {
		if _, ok := s.ratio(il, c.key+wall, "a_floor"+wall); !ok {
			continue
		}
		t := s.ratioRange(il, c.key+wall, "a_floor"+wall)
		cpuRatio, _ := s.ratio(il, c.key+cpu, "a_floor"+cpu)
		signShare, _ := s.ratio(il, "rsa_sign"+cpu, "a_floor"+cpu)
		verifyShare, _ := s.ratio(il, "rsa_verify"+cpu, "a_floor"+cpu)
		rest, _ := s.perRun(il, func(v func(string) float64) float64 {
			return (v(c.key+cpu) - v("rsa_sign"+cpu) - v("rsa_verify"+cpu)) / v("a_floor"+cpu)
		})
		restRatio, _ := s.perRun(il, func(v func(string) float64) float64 {
			crypto := v("rsa_sign"+cpu) + v("rsa_verify"+cpu)
			return (v(c.key+cpu) - crypto) / (v("a_floor"+cpu) - crypto)
		})
		allocs, _ := s.get(call+"/"+c.key, "allocs/op")
		bytes, _ := s.get(call+"/"+c.key, "B/op")
		fmt.Fprintf(w, "| %s | %s | %.3f | %.2f | %.2f | %.2f | %.2f | %.0f | %.0f |\n",
			c.label, t, cpuRatio, signShare, verifyShare, rest, restRatio, allocs, bytes)
	}
	fmt.Fprintln(w)
}

func callbacks(w io.Writer, s samples) {
	const il = "Interleaved/Callback"
	floorNs, ok := s.get(il, "a_floor-ns/call")
	if !ok {
		return
	}
	fmt.Fprintf(w, "### Callback parse (verify, decrypt, decode into a map; no network)\n\nFor scale: (a) takes %.0f µs per callback.\n\n", floorNs/1e3)
	fmt.Fprintln(w, "| contestant | time ×(a) | CPU ×(a) | allocs/callback | bytes/callback |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|")
	labels := map[string]string{
		"a_floor":    "(a) by hand: crypto/rsa, crypto/cipher, encoding/json",
		"b_ours":     "(b) Client.ParseNotification + Decode",
		"c_official": "(c) wechatpay-go notify.Handler",
	}
	for _, key := range []string{"a_floor", "b_ours", "c_official"} {
		t, ok := s.ratio(il, key+"-ns/call", "a_floor-ns/call")
		if !ok {
			fmt.Fprintf(w, "| %s | not measured | | | |\n", labels[key])
			continue
		}
		cpu, _ := s.ratio(il, key+"-cpu-ns/call", "a_floor-cpu-ns/call")
		allocs, _ := s.get("Callback/"+key, "allocs/op")
		bytes, _ := s.get("Callback/"+key, "B/op")
		fmt.Fprintf(w, "| %s | %.3f | %.3f | %.0f | %.0f |\n", labels[key], t, cpu, allocs, bytes)
	}
	fmt.Fprintln(w)
}

func scaling(w io.Writer, s samples) {
	if _, ok := s.get("Scaling/inflight=1/a_floor", "req/s"); !ok {
		return
	}
	fmt.Fprintln(w, "### Scaling: seed POSTs in flight against a server that adds 20 ms to every answer")
	fmt.Fprintln(w)
	fmt.Fprint(w, "Throughput ×(a) (median over the rounds of each round's ratio); the first row is (a)'s own, in requests per second.\n\n")
	fmt.Fprintln(w, "| contestant | 1 in flight | 8 | 64 | 512 |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|")
	row := func(label string, cell func(k string) string) {
		cells := make([]string, len(levels))
		for i, k := range levels {
			cells[i] = cell(k)
		}
		fmt.Fprintf(w, "| %s | %s |\n", label, strings.Join(cells, " | "))
	}
	row("(a) req/s", func(k string) string {
		v, _ := s.get("Scaling/inflight="+k+"/a_floor", "req/s")
		return fmt.Sprintf("%.0f", v)
	})
	for _, c := range contestants {
		row(c.label, func(k string) string {
			r, ok := s.crossRatio("Scaling/inflight="+k+"/"+c.key, "Scaling/inflight="+k+"/a_floor", "req/s")
			if !ok {
				return ""
			}
			return fmt.Sprintf("%.2f", r)
		})
	}
	fmt.Fprintln(w)
	fmt.Fprint(w, "At 512 in flight: memory held per in-flight request (live heap plus goroutine stacks, client side, connections included), allocations and client CPU per request.\n\n")
	fmt.Fprintln(w, "| contestant | KiB per in-flight request (64 in flight) | KiB per in-flight request (512) | allocs/request (512) | client CPU/request ×(a) (512) |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|")
	for _, c := range contestants {
		n := "Scaling/inflight=512/" + c.key
		mem, ok := s.get(n, "B/inflight")
		if !ok {
			continue
		}
		mem64, _ := s.get("Scaling/inflight=64/"+c.key, "B/inflight")
		allocs, _ := s.get(n, "allocs/op")
		cpu, _ := s.crossRatio(n, "Scaling/inflight=512/a_floor", "cpu-ns/op")
		fmt.Fprintf(w, "| %s | %.1f | %.1f | %.0f | %.2f |\n", c.label, mem64/1024, mem/1024, allocs, cpu)
	}
	fmt.Fprintln(w)
}

func targets(w io.Writer, s samples) {
	fmt.Fprintln(w, "### Targets")
	fmt.Fprintln(w)
	check := func(ok bool) string {
		if ok {
			return "met"
		}
		return "**missed**"
	}
	for _, call := range []string{"Post", "Get"} {
		il := "Interleaved/" + call
		b, _ := s.ratio(il, "b_ours-ns/call", "a_floor-ns/call")
		c, _ := s.ratio(il, "c_official-ns/call", "a_floor-ns/call")
		bc, _ := s.ratio(il, "b_ours-ns/call", "c_official-ns/call")
		ab, _ := s.get(call+"/b_ours", "allocs/op")
		ac, _ := s.get(call+"/c_official", "allocs/op")
		fmt.Fprintf(w, "- %s time ≤ 1.03×(a): %.3f×, %s; below (c) (%.3f×(a); (b)/(c) per round %s): %s. Allocations below (c): %.0f vs %.0f, %s.\n",
			strings.ToUpper(call), b, check(b <= 1.03), c, s.ratioRange(il, "b_ours-ns/call", "c_official-ns/call"), check(bc < 1), ab, ac, check(ab < ac))
	}
	if r, ok := s.crossRatio("Scaling/inflight=512/b_ours", "Scaling/inflight=512/a_floor", "req/s"); ok {
		fmt.Fprintf(w, "- Throughput at 512 in flight within 10%% of (a): %.2f×, %s.\n", r, check(r >= 0.9))
	}
	fmt.Fprintln(w)
}

// cpuModel reads the first "model name" of /proc/cpuinfo.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}
