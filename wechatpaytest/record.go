package wechatpaytest

import (
	"net/http"
	"slices"
	"time"
)

// RecordedRequest is what the server saw of one request; see
// [Server.Requests].
type RecordedRequest struct {
	// Method is the request method.
	Method string
	// RequestURI is the request target exactly as received on the wire.
	RequestURI string
	// Header is the request header.
	Header http.Header
	// Body is the exact request body.
	Body []byte
	// Authorized reports whether the Authorization header verified.
	Authorized bool
	// AuthFailure says why it did not; "" when it did.
	AuthFailure string
	// Status is the status answered; 0 when the client went away first.
	Status int
	// RequestID is the Request-ID header answered.
	RequestID string
	// Time is when the request arrived, by the server's clock.
	Time time.Time
}

// Requests returns a copy of every request received since the server started
// or since [Server.Reset], oldest first.
func (s *Server) Requests() []RecordedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]RecordedRequest, len(s.records))
	for i, r := range s.records {
		out[i] = *r
		out[i].Header = r.Header.Clone()
		out[i].Body = slices.Clone(r.Body)
	}
	return out
}

// Reset forgets the recorded requests. Routes, faults and orders stay.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.records = nil
}

// record appends a request and returns it for filling in later (under s.mu).
func (s *Server) record(r *http.Request, body []byte, requestID string) *RecordedRequest {
	rec := &RecordedRequest{
		Method:     r.Method,
		RequestURI: r.RequestURI,
		Header:     r.Header.Clone(),
		Body:       body,
		RequestID:  requestID,
		Time:       s.now(),
	}
	s.mu.Lock()
	s.records = append(s.records, rec)
	s.mu.Unlock()
	return rec
}

// update fills in a recorded request under s.mu.
func (s *Server) update(rec *RecordedRequest, f func(*RecordedRequest)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(rec)
}
