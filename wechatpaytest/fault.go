package wechatpaytest

import (
	"fmt"
	"strings"
	"time"
)

// Fault describes misbehaviour injected into the answers of one route with
// [Server.Fault]. Fields combine: a fault may delay, then answer 503 with a
// tampered signature.
type Fault struct {
	// Delay holds the answer back this long (or until the client gives up
	// or the server closes).
	Delay time.Duration
	// Status, when not 0, answers with this status and an APIv3 error body
	// instead of running the route: 5xx answer SYSTEM_ERROR, 429 answers
	// FREQUENCY_LIMITED, 202 answers a signed ACCEPTED ("accepted, not yet
	// processed: repeat with the same parameters").
	Status int
	// RetryAfter, when positive, sets the Retry-After header (whole seconds,
	// rounded up) on the Status answer.
	RetryAfter time.Duration
	// DropSignatureHeader names a Wechatpay-* header (such as
	// "Wechatpay-Signature") to leave out of the answer.
	DropSignatureHeader string
	// TamperBody changes the body after it was signed. An answer that
	// cannot carry a body (204) is signed over a body it does not send.
	TamperBody bool
	// TamperSignature flips a bit of the signature (still valid base64).
	TamperSignature bool
	// ClockSkew shifts the answer's Wechatpay-Timestamp from the server's
	// clock (and signs the shifted value).
	ClockSkew time.Duration
	// Times applies the fault to the next Times matching requests, then
	// removes it; 0 applies it to every matching request.
	Times int
}

// faultEntry is a registered fault.
type faultEntry struct {
	method    string // "" matches every method
	pattern   pattern
	anyPath   bool
	fault     Fault
	remaining int // for Times > 0
}

// Fault injects f into the answers to requests matching method and pattern
// (the same patterns as [Server.Handle]; method "*" or "" matches every
// method and pattern "*" every path, including unknown ones). A later
// Fault for the same method and pattern replaces the earlier one; when
// several match a request the one registered first applies.
func (s *Server) Fault(method, pattern string, f Fault) {
	e := &faultEntry{method: normalizeMethod(method), fault: f, remaining: f.Times}
	if pattern == "*" {
		e.anyPath = true
	} else {
		e.pattern = parsePattern(pattern)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, old := range s.faults {
		if old.method == e.method && old.anyPath == e.anyPath && old.pattern.raw == e.pattern.raw {
			s.faults[i] = e
			return
		}
	}
	s.faults = append(s.faults, e)
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// takeFault returns the fault for a request and counts it against Times.
func (s *Server) takeFault(method, relPath string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, e := range s.faults {
		if e.method != "" && e.method != method {
			continue
		}
		if !e.anyPath {
			if _, ok := e.pattern.match(relPath); !ok {
				continue
			}
		}
		if e.fault.Times > 0 {
			e.remaining--
			if e.remaining <= 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return e.fault, true
	}
	return Fault{}, false
}

func normalizeMethod(m string) string {
	if m == "*" {
		return ""
	}
	return strings.ToUpper(m)
}

// faultCode is the APIv3 error code a Fault.Status answers with.
func faultCode(status int) string {
	switch {
	case status == 202:
		return "ACCEPTED"
	case status == 429:
		return "FREQUENCY_LIMITED"
	case status >= 500:
		return "SYSTEM_ERROR"
	case status == 400:
		return "PARAM_ERROR"
	case status == 401:
		return "SIGN_ERROR"
	case status == 403:
		return "NO_AUTH"
	case status == 404:
		return "NOT_FOUND"
	}
	return "INJECTED_FAULT"
}

// faultMessage is the message a Fault.Status answer carries.
func faultMessage(status int) string {
	if status == 202 {
		return "accepted, not yet processed: repeat the request with the same parameters (fault injected by wechatpaytest)"
	}
	return fmt.Sprintf("fault injected by wechatpaytest (%d)", status)
}
