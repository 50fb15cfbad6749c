package wechatpay

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
)

// Future is the eventual result of an asynchronous call. It is safe for
// concurrent use: Wait may be called any number of times, from any
// goroutine, and always gives the same result.
type Future[T any] struct {
	done  chan struct{}
	value T
	err   error
}

// ErrPanic matches, with [errors.Is], the error a call returns when code it
// ran (a user middleware, a Then callback) panicked. The panic value and
// stack are in the error's text.
var ErrPanic = errors.New("wechatpay: panic during call")

// Go runs fn(ctx) in a new goroutine and returns its future. A panic in fn
// is recovered and becomes an error matching [ErrPanic]. The goroutine ends
// when fn returns.
func Go[T any](ctx context.Context, fn func(context.Context) (T, error)) *Future[T] {
	f := &Future[T]{done: make(chan struct{})}
	go func() {
		defer close(f.done)
		defer recoverInto(&f.err)
		f.value, f.err = fn(ctx)
	}()
	return f
}

// resolved returns a future that is already done.
func resolved[T any](value T, err error) *Future[T] {
	f := &Future[T]{done: make(chan struct{}), value: value, err: err}
	close(f.done)
	return f
}

// Wait blocks until the call completes or ctx is done. When ctx ends first
// it returns ctx.Err() and the call goes on; a later Wait can still collect
// the result.
func (f *Future[T]) Wait(ctx context.Context) (T, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	select {
	case <-f.done:
		return f.value, f.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// Done returns a channel that is closed when the call has completed, for
// use in a select.
func (f *Future[T]) Done() <-chan struct{} { return f.done }

// Then returns a future for fn applied to f's value. When f fails, fn is not
// called and the new future carries f's error. A panic in fn becomes an
// error matching [ErrPanic].
func Then[T, U any](f *Future[T], fn func(T) (U, error)) *Future[U] {
	next := &Future[U]{done: make(chan struct{})}
	go func() {
		defer close(next.done)
		defer recoverInto(&next.err)
		<-f.done
		if f.err != nil {
			next.err = f.err
			return
		}
		next.value, next.err = fn(f.value)
	}()
	return next
}

// recoverInto turns a panic into an error stored in *err. It must be
// deferred directly.
func recoverInto(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w: %v\n%s", ErrPanic, r, debug.Stack())
	}
}
