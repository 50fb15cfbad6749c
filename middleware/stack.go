package middleware

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
)

// Sentinel errors returned (wrapped, naming the entry) by the editing methods
// of [Stack]. Match them with errors.Is.
var (
	// ErrUnknownMiddleware: the named entry or target is not in the stack.
	ErrUnknownMiddleware = errors.New("middleware: unknown middleware")
	// ErrDuplicateMiddleware: an entry with that name is already in the stack.
	ErrDuplicateMiddleware = errors.New("middleware: duplicate middleware")
	// ErrInvalidMiddleware: an empty name, a nil Middleware, or a Middleware
	// that panicked or returned a nil RoundTripper while the chain was built.
	ErrInvalidMiddleware = errors.New("middleware: invalid middleware")
)

// Stack is an http.RoundTripper made of named [Middleware] entries around a
// base RoundTripper. Entry 0 is the outermost: it sees a request first and
// its response last. The base (http.DefaultTransport unless given) is the
// innermost and does the network I/O.
//
// A Stack is safe for concurrent use, including editing it while requests are
// in flight. Edits are copy-on-write: each successful edit composes the whole
// chain once and publishes it atomically, RoundTrip reads the published chain
// without locking, and a request keeps the chain it started with. A failed
// edit leaves the stack unchanged.
//
// The zero Stack is ready to use and sends requests straight to
// http.DefaultTransport. A Stack must not be copied after first use; use
// [Stack.Clone].
type Stack struct {
	mu      sync.Mutex // serialises edits; guards entries
	entries []entry
	base    http.RoundTripper // nil means http.DefaultTransport; never changes

	chain atomic.Pointer[http.RoundTripper] // composed chain; nil until the first edit
}

// entry is one named middleware.
type entry struct {
	name string
	mw   Middleware
}

// NewStack returns an empty Stack over base; a nil base means
// http.DefaultTransport.
func NewStack(base http.RoundTripper) *Stack {
	return &Stack{base: base}
}

// RoundTrip sends req through the current chain. It implements
// http.RoundTripper; the usual RoundTripper contract (the caller closes the
// response body; the request is not modified) is up to the middlewares.
func (s *Stack) RoundTrip(req *http.Request) (*http.Response, error) {
	if rt := s.chain.Load(); rt != nil {
		return (*rt).RoundTrip(req)
	}
	return s.Base().RoundTrip(req)
}

// Base returns the innermost RoundTripper: the one given to [NewStack], or
// http.DefaultTransport.
func (s *Stack) Base() http.RoundTripper {
	// base is set by NewStack and never changes, so no lock is needed.
	if s.base == nil {
		return http.DefaultTransport
	}
	return s.base
}

// CloseIdleConnections closes the idle connections of the base RoundTripper
// when it has such a method (as *http.Transport does), so that
// http.Client.CloseIdleConnections works through a Stack.
func (s *Stack) CloseIdleConnections() {
	if c, ok := s.Base().(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// Push adds m as the innermost entry, closest to the base.
func (s *Stack) Push(name string, m Middleware) error {
	return s.edit("push", name, m, func(es []entry) ([]entry, error) {
		return append(es, entry{name, m}), nil
	})
}

// Unshift adds m as the outermost entry.
func (s *Stack) Unshift(name string, m Middleware) error {
	return s.edit("unshift", name, m, func(es []entry) ([]entry, error) {
		return slices.Insert(es, 0, entry{name, m}), nil
	})
}

// Before adds m just outside target: m sees requests right before target
// does.
func (s *Stack) Before(target, name string, m Middleware) error {
	return s.edit("before "+fmt.Sprintf("%q", target), name, m, func(es []entry) ([]entry, error) {
		i := index(es, target)
		if i < 0 {
			return nil, fmt.Errorf("%w %q (target of before %q)", ErrUnknownMiddleware, target, name)
		}
		return slices.Insert(es, i, entry{name, m}), nil
	})
}

// After adds m just inside target: m sees requests right after target
// does.
func (s *Stack) After(target, name string, m Middleware) error {
	return s.edit("after "+fmt.Sprintf("%q", target), name, m, func(es []entry) ([]entry, error) {
		i := index(es, target)
		if i < 0 {
			return nil, fmt.Errorf("%w %q (target of after %q)", ErrUnknownMiddleware, target, name)
		}
		return slices.Insert(es, i+1, entry{name, m}), nil
	})
}

// Remove deletes the entry called name.
func (s *Stack) Remove(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := index(s.entries, name)
	if i < 0 {
		return fmt.Errorf("remove %q: %w", name, ErrUnknownMiddleware)
	}
	next := slices.Delete(slices.Clone(s.entries), i, i+1)
	return s.publishLocked(next)
}

// Replace swaps the middleware of the entry called name for m, keeping its
// position.
func (s *Stack) Replace(name string, m Middleware) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m == nil {
		return fmt.Errorf("replace %q: nil middleware: %w", name, ErrInvalidMiddleware)
	}
	i := index(s.entries, name)
	if i < 0 {
		return fmt.Errorf("replace %q: %w", name, ErrUnknownMiddleware)
	}
	next := slices.Clone(s.entries)
	next[i].mw = m
	return s.publishLocked(next)
}

// List returns the entry names, outermost first.
func (s *Stack) List() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, len(s.entries))
	for i, e := range s.entries {
		names[i] = e.name
	}
	return names
}

// Has reports whether an entry called name is in the stack.
func (s *Stack) Has(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return index(s.entries, name) >= 0
}

// Clone returns an independent Stack with the same base and entries: edits
// to either one do not affect the other. The clone starts with the chain s
// has composed (the middlewares are not called again until the clone is
// edited), so a middleware that keeps state shares it until then.
func (s *Stack) Clone() *Stack {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &Stack{base: s.base, entries: slices.Clone(s.entries)}
	if rt := s.chain.Load(); rt != nil {
		c.chain.Store(rt)
	}
	return c
}

// edit validates name and m, applies change to a copy of the entries, and
// publishes the result.
func (s *Stack) edit(op, name string, m Middleware, change func([]entry) ([]entry, error)) error {
	if name == "" {
		return fmt.Errorf("%s: empty name: %w", op, ErrInvalidMiddleware)
	}
	if m == nil {
		return fmt.Errorf("%s %q: nil middleware: %w", op, name, ErrInvalidMiddleware)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if index(s.entries, name) >= 0 {
		return fmt.Errorf("%s: %w %q", op, ErrDuplicateMiddleware, name)
	}
	next, err := change(slices.Clone(s.entries))
	if err != nil {
		return err
	}
	return s.publishLocked(next)
}

// publishLocked composes entries into one RoundTripper and, on success,
// makes entries and the chain current. s.mu must be held.
func (s *Stack) publishLocked(entries []entry) error {
	rt, err := compose(entries, s.Base())
	if err != nil {
		return err
	}
	s.entries = entries
	s.chain.Store(&rt)
	return nil
}

// compose wraps base in entries, innermost first, so that entries[0] ends up
// outermost. A middleware that panics or returns nil is an error.
func compose(entries []entry, base http.RoundTripper) (rt http.RoundTripper, err error) {
	rt = base
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		rt, err = wrap(e, rt)
		if err != nil {
			return nil, err
		}
	}
	return rt, nil
}

func wrap(e entry, next http.RoundTripper) (rt http.RoundTripper, err error) {
	defer func() {
		if p := recover(); p != nil {
			rt, err = nil, fmt.Errorf("middleware %q panicked while composing the chain: %v: %w", e.name, p, ErrInvalidMiddleware)
		}
	}()
	rt = e.mw(next)
	if rt == nil {
		return nil, fmt.Errorf("middleware %q returned a nil RoundTripper: %w", e.name, ErrInvalidMiddleware)
	}
	return rt, nil
}

func index(es []entry, name string) int {
	return slices.IndexFunc(es, func(e entry) bool { return e.name == name })
}
