package bench

import (
	"context"
	"flag"
	"fmt"
	"maps"
	"net/http"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wechatpay-chain/wechatpay"
)

// inFlight are the concurrency levels of BenchmarkScaling.
var inFlight = []int{1, 8, 64, 512}

// scalingLimit is Config.MaxConcurrent of the "b_ours_async_max64"
// contestant.
const scalingLimit = 64

// BenchmarkScaling keeps k seed POSTs in flight against the server that adds
// Latency to every answer, for a time window, and reports throughput
// (req/s), allocations and client CPU per request, and the memory (live
// heap plus goroutine stacks) held per in-flight request.
//
// Each run is one window of the -benchtime duration (at least 1 s) after a
// warm-up in which every slot turns over twice; b.N is not used.
//
//   - a_floor, b_ours, c_official: k goroutines, each sending one call after
//     another.
//   - b_ours_async: k futures (PostAsync) outstanding, each replaced by a
//     new one when it completes.
//   - b_ours_async_max64: the same with Config.MaxConcurrent = 64, so at
//     k = 512 448 futures wait for a slot instead of holding a connection.
func BenchmarkScaling(b *testing.B) {
	for _, k := range inFlight {
		b.Run(fmt.Sprintf("inflight=%d", k), func(b *testing.B) {
			cs := newContestants(b, srv.SlowURL, 0)
			defer cs.close()
			trMax := newTransport()
			defer trMax.CloseIdleConnections()
			limited, err := newOurs(srv.SlowURL, trMax, scalingLimit)
			if err != nil {
				b.Fatal(err)
			}
			post := func(p poster) func(context.Context) error {
				return func(ctx context.Context) error { return p(ctx, seedCardID, seedCode, seedPayload()) }
			}
			async := func(o *ours) func(context.Context) *wechatpay.Future[*wechatpay.Response] {
				return func(ctx context.Context) *wechatpay.Future[*wechatpay.Response] {
					return o.postAsync(ctx, seedCardID, seedCode, seedPayload())
				}
			}
			b.Run(nameFloor, func(b *testing.B) { scale(b, k, workers(k, post(cs.floor.post)), cs.floor.hc.CloseIdleConnections) })
			b.Run(nameOurs, func(b *testing.B) { scale(b, k, workers(k, post(cs.ours.post)), cs.ours.client.CloseIdleConnections) })
			b.Run(nameOursAsync, func(b *testing.B) { scale(b, k, window(k, async(cs.ours)), cs.ours.client.CloseIdleConnections) })
			b.Run(nameOursAsync+"_max64", func(b *testing.B) { scale(b, k, window(k, async(limited)), limited.client.CloseIdleConnections) })
			b.Run(nameOfficial, func(b *testing.B) { scale(b, k, workers(k, post(cs.official.post)), func() { closeIdle(cs.official) }) })
		})
	}
}

func closeIdle(o *official) {
	// The official client keeps the *http.Client it was given; its
	// transport is the one newContestants made, closed through cs.close.
	// Here the pool is emptied the same way as for the others.
	if tr, ok := o.transport.(interface{ CloseIdleConnections() }); ok {
		tr.CloseIdleConnections()
	}
}

// driver runs calls until stop is closed, adding each success to done and
// reporting the first failure to fail. It returns when its calls have
// ended.
type driver func(ctx context.Context, stop <-chan struct{}, done *atomic.Int64, fail func(error))

// workers is k goroutines each making one call after another.
func workers(k int, call func(context.Context) error) driver {
	return func(ctx context.Context, stop <-chan struct{}, done *atomic.Int64, fail func(error)) {
		var wg sync.WaitGroup
		for range k {
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					if err := call(ctx); err != nil {
						fail(err)
						return
					}
					done.Add(1)
				}
			})
		}
		wg.Wait()
	}
}

// window keeps k futures outstanding: k lanes, each launching a future
// and waiting for it before launching the next. (One goroutine waiting on
// a ring of futures in launch order would count completions in bursts, as
// the oldest future happens to finish, and so measure badly over a short
// window when hundreds are in flight.)
func window(k int, launch func(context.Context) *wechatpay.Future[*wechatpay.Response]) driver {
	return workers(k, func(ctx context.Context) error {
		resp, err := launch(ctx).Wait(ctx)
		if err != nil {
			return err
		}
		return wantStatus(resp.StatusCode(), http.StatusNoContent)
	})
}

// scale runs drive for one measured window and reports the metrics.
func scale(b *testing.B, k int, drive driver, closeIdle func()) {
	closeIdle()
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop := make(chan struct{})
	var done atomic.Int64
	var failOnce sync.Once
	var failure error
	fail := func(err error) { failOnce.Do(func() { failure = err; cancel() }) }
	finished := make(chan struct{})
	go func() { defer close(finished); drive(ctx, stop, &done, fail) }()

	warmUntil := time.Now().Add(300 * time.Millisecond)
	for (done.Load() < int64(2*k) || time.Now().Before(warmUntil)) && ctx.Err() == nil {
		time.Sleep(5 * time.Millisecond)
	}
	b.ResetTimer()
	var m0, m1, held runtime.MemStats
	runtime.ReadMemStats(&m0)
	t0, c0, cpu0 := time.Now(), done.Load(), cpuTime()
	time.Sleep(measureWindow())
	t1, c1, cpu1 := time.Now(), done.Load(), cpuTime()
	runtime.ReadMemStats(&m1)
	b.StopTimer()
	runtime.GC() // what the k calls in flight hold right now
	runtime.ReadMemStats(&held)
	close(stop)
	<-finished
	closeIdle()
	if failure != nil {
		b.Fatal(failure)
	}

	n := float64(c1 - c0)
	if n == 0 {
		b.Fatal("no call completed in the window")
	}
	secs := t1.Sub(t0).Seconds()
	b.ReportMetric(n/secs, "req/s")
	b.ReportMetric(secs*1e9/n, "ns/op")
	b.ReportMetric(float64(m1.Mallocs-m0.Mallocs)/n, "allocs/op")
	b.ReportMetric(float64(m1.TotalAlloc-m0.TotalAlloc)/n, "B/op")
	b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/n, "cpu-ns/op")
	inUse := func(m *runtime.MemStats) float64 { return float64(m.HeapAlloc + m.StackInuse) }
	b.ReportMetric((inUse(&held)-inUse(&base))/float64(k), "B/inflight")
}

// measureWindow is the -benchtime duration, at least one second.
func measureWindow() time.Duration {
	if f := flag.Lookup("test.benchtime"); f != nil {
		if d, err := time.ParseDuration(f.Value.String()); err == nil && d > time.Second {
			return d
		}
	}
	return time.Second
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
