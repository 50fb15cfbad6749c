package bench

import (
	"context"
	"net/http"
	"testing"
)

// Contestant names sort as the table shows them: (a) the floor, (b) this
// library, (c) the official SDK.
const (
	nameFloor     = "a_floor"
	nameOurs      = "b_ours"
	nameOursAsync = "b_ours_async"
	nameOfficial  = "c_official"
)

// benchCalls measures call, one request at a time, and reports the CPU
// time of this process per call next to the wall time. The table in
// docs/benchmarks.md takes allocations and bytes from these benchmarks, and
// times from BenchmarkInterleaved, which holds up better on a loaded
// machine.
func benchCalls(b *testing.B, call func(context.Context) error) {
	ctx := context.Background()
	if err := call(ctx); err != nil { // warm: a pooled connection, primed caches
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		if err := call(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

// BenchmarkPost is the seed POST (JSON body, 204 answer), one at a time.
func BenchmarkPost(b *testing.B) {
	cs := newContestants(b, srv.FastURL, 0)
	defer cs.close()
	post := func(p poster) func(context.Context) error {
		return func(ctx context.Context) error { return p(ctx, seedCardID, seedCode, seedPayload()) }
	}
	b.Run(nameFloor, func(b *testing.B) { benchCalls(b, post(cs.floor.post)) })
	b.Run(nameOurs, func(b *testing.B) { benchCalls(b, post(cs.ours.post)) })
	b.Run(nameOursAsync, func(b *testing.B) {
		benchCalls(b, func(ctx context.Context) error {
			resp, err := cs.ours.postAsync(ctx, seedCardID, seedCode, seedPayload()).Wait(ctx)
			if err != nil {
				return err
			}
			return wantStatus(resp.StatusCode(), http.StatusNoContent)
		})
	})
	b.Run(nameOfficial, func(b *testing.B) { benchCalls(b, post(cs.official.post)) })
}

// BenchmarkGet is the order query (a query string, a 200 answer with a
// JSON body), one at a time.
func BenchmarkGet(b *testing.B) {
	cs := newContestants(b, srv.FastURL, 0)
	defer cs.close()
	get := func(g getter) func(context.Context) error {
		return func(ctx context.Context) error {
			_, err := g(ctx, srv.OrderNo)
			return err
		}
	}
	b.Run(nameFloor, func(b *testing.B) { benchCalls(b, get(cs.floor.get)) })
	b.Run(nameOurs, func(b *testing.B) { benchCalls(b, get(cs.ours.get)) })
	b.Run(nameOfficial, func(b *testing.B) { benchCalls(b, get(cs.official.get)) })
}

// BenchmarkCallback parses one signed, encrypted callback (verify, decrypt,
// decode the resource into a map). No network.
func BenchmarkCallback(b *testing.B) {
	n, err := srv.notification()
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range sortedKeys(callbackParsers(b)) {
		parse := callbackParsers(b)[name]
		b.Run(name, func(b *testing.B) {
			r := newCallbackRequest(n)
			benchCalls(b, func(ctx context.Context) error {
				_, err := parse(ctx, withBody(r, n.Body))
				return err
			})
		})
	}
}
