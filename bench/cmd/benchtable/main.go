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
	fmt.Fprintf(w, "Machine: %d CPUs (`nproc`), %s, %s, %s/%s. Medians of %d alternating runs.\n\n",
		runtime.NumCPU(), cpuModel(), runtime.Version(), runtime.GOOS, runtime.GOARCH, s.count("Post/a_floor"))
	sign, _ := s.get("RSA/sign", "cpu-ns/op")
	verify, _ := s.get("RSA/verify", "cpu-ns/op")
	for _, call := range []struct{ name, title string }{
		{"Post", "POST with a JSON body (seed example, answered 204)"},
		{"Get", "GET with a query (order query, answered 200 with a JSON body)"},
	} {
		perRequest(w, s, call.name, call.title, sign, verify)
	}
	callbacks(w, s)
	scaling(w, s)
	targets(w, s)
}

func perRequest(w io.Writer, s samples, call, title string, sign, verify float64) {
	floorNs, _ := s.get(call+"/a_floor", "ns/op")
	floorCPU, _ := s.get(call+"/a_floor", "cpu-ns/op")
	fmt.Fprintf(w, "### %s\n\n", title)
	fmt.Fprintf(w, "(a) takes %.0f µs per request, %.0f µs of it CPU in the client; RSA sign %.0f µs and verify %.0f µs of CPU (BenchmarkRSA, same run).\n\n",
		floorNs/1e3, floorCPU/1e3, sign/1e3, verify/1e3)
	fmt.Fprintln(w, "| contestant | time ×(a) | client CPU ×(a) | = RSA sign | + RSA verify | + everything else | everything else ×(a)'s | allocs/request | bytes/request |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	floorRest := floorCPU - sign - verify
	for _, c := range contestants {
		name := call + "/" + c.key
		ns, ok := s.get(name, "ns/op")
		if !ok {
			continue
		}
		cpu, _ := s.get(name, "cpu-ns/op")
		allocs, _ := s.get(name, "allocs/op")
		bytes, _ := s.get(name, "B/op")
		rest := cpu - sign - verify
		fmt.Fprintf(w, "| %s | %.3f | %.3f | %.2f | %.2f | %.2f | %.2f | %.0f | %.0f |\n",
			c.label, ns/floorNs, cpu/floorCPU, sign/floorCPU, verify/floorCPU, rest/floorCPU, rest/floorRest, allocs, bytes)
	}
	fmt.Fprintln(w)
}

func callbacks(w io.Writer, s samples) {
	floorNs, ok := s.get("Callback/a_floor", "ns/op")
	if !ok {
		return
	}
	floorCPU, _ := s.get("Callback/a_floor", "cpu-ns/op")
	fmt.Fprintf(w, "### Callback parse (verify, decrypt, decode into a map; no network)\n\n(a) takes %.0f µs per callback.\n\n", floorNs/1e3)
	fmt.Fprintln(w, "| contestant | time ×(a) | CPU ×(a) | allocs/callback | bytes/callback |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|")
	labels := map[string]string{
		"a_floor":    "(a) by hand: crypto/rsa, crypto/cipher, encoding/json",
		"b_ours":     "(b) Client.ParseNotification",
		"c_official": "(c) wechatpay-go notify.Handler",
	}
	for _, key := range []string{"a_floor", "b_ours", "c_official"} {
		name := "Callback/" + key
		ns, ok := s.get(name, "ns/op")
		if !ok {
			fmt.Fprintf(w, "| %s | not measured | | | |\n", labels[key])
			continue
		}
		cpu, _ := s.get(name, "cpu-ns/op")
		allocs, _ := s.get(name, "allocs/op")
		bytes, _ := s.get(name, "B/op")
		fmt.Fprintf(w, "| %s | %.3f | %.3f | %.0f | %.0f |\n", labels[key], ns/floorNs, cpu/floorCPU, allocs, bytes)
	}
	fmt.Fprintln(w)
}

func scaling(w io.Writer, s samples) {
	if _, ok := s.get("Scaling/inflight=1/a_floor", "req/s"); !ok {
		return
	}
	fmt.Fprintln(w, "### Scaling: seed POSTs in flight against a server that adds 20 ms to every answer")
	fmt.Fprintln(w)
	fmt.Fprint(w, "Throughput ×(a); the first row is (a)'s own, in requests per second.\n\n")
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
			v, ok := s.get("Scaling/inflight="+k+"/"+c.key, "req/s")
			a, _ := s.get("Scaling/inflight="+k+"/a_floor", "req/s")
			if !ok || a == 0 {
				return ""
			}
			return fmt.Sprintf("%.2f", v/a)
		})
	}
	fmt.Fprintln(w)
	fmt.Fprint(w, "At 512 in flight: memory held per in-flight request (live heap plus goroutine stacks, client side, connections included), allocations and client CPU per request.\n\n")
	fmt.Fprintln(w, "| contestant | KiB per in-flight request (64 in flight) | KiB per in-flight request (512) | allocs/request (512) | client CPU/request ×(a) (512) |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|")
	floorCPU, _ := s.get("Scaling/inflight=512/a_floor", "cpu-ns/op")
	for _, c := range contestants {
		n := "Scaling/inflight=512/" + c.key
		mem, ok := s.get(n, "B/inflight")
		if !ok {
			continue
		}
		mem64, _ := s.get("Scaling/inflight=64/"+c.key, "B/inflight")
		allocs, _ := s.get(n, "allocs/op")
		cpu, _ := s.get(n, "cpu-ns/op")
		fmt.Fprintf(w, "| %s | %.1f | %.1f | %.0f | %.2f |\n", c.label, mem64/1024, mem/1024, allocs, cpu/floorCPU)
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
		a, _ := s.get(call+"/a_floor", "ns/op")
		b, _ := s.get(call+"/b_ours", "ns/op")
		c, _ := s.get(call+"/c_official", "ns/op")
		ab, _ := s.get(call+"/b_ours", "allocs/op")
		ac, _ := s.get(call+"/c_official", "allocs/op")
		fmt.Fprintf(w, "- %s time ≤ 1.03×(a): %.3f×, %s; below (c) (%.3f×): %s. Allocations below (c): %.0f vs %.0f, %s.\n",
			strings.ToUpper(call), b/a, check(b/a <= 1.03), c/a, check(b < c), ab, ac, check(ab < ac))
	}
	if a, ok := s.get("Scaling/inflight=512/a_floor", "req/s"); ok {
		b, _ := s.get("Scaling/inflight=512/b_ours", "req/s")
		fmt.Fprintf(w, "- Throughput at 512 in flight within 10%% of (a): %.2f×, %s.\n", b/a, check(b/a >= 0.9))
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
