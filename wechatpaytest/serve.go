package wechatpaytest

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxBodyBytes caps a request body; media uploads are at most a few MB.
const maxBodyBytes = 32 << 20

// serveHTTP is the server's one http.Handler: read, record, delay, verify,
// route, sign, answer.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	requestID := s.newRequestID()
	body, readErr := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	rec := s.record(r, body, requestID)

	relPath, under := strings.CutPrefix(r.URL.EscapedPath(), s.basePath)
	var fault Fault
	if under {
		fault, _ = s.takeFault(r.Method, relPath)
	}
	reason, signInfo := s.verifyRequest(r, body)
	s.update(rec, func(rr *RecordedRequest) { rr.Authorized, rr.AuthFailure = reason == "", reason })

	if fault.Delay > 0 {
		if s.testHookDelay != nil {
			s.testHookDelay()
		}
		t := time.NewTimer(fault.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		case <-s.closing:
			t.Stop()
			return
		}
	}

	var reply Reply
	switch {
	case !under:
		reply = Fail(http.StatusNotFound, "NOT_FOUND",
			fmt.Sprintf("no route for %s %s: this server serves under %s", r.Method, r.URL.Path, s.basePath))
	case readErr != nil:
		reply = Fail(http.StatusBadRequest, "PARAM_ERROR", "reading the request body: "+readErr.Error())
	case len(body) > maxBodyBytes:
		reply = Fail(http.StatusRequestEntityTooLarge, "PARAM_ERROR", fmt.Sprintf("request body over %d bytes", maxBodyBytes))
	case fault.Status != 0:
		reply = Fail(fault.Status, faultCode(fault.Status), faultMessage(fault.Status))
		if fault.RetryAfter > 0 {
			secs := int64((fault.RetryAfter + time.Second - 1) / time.Second)
			reply.Header = http.Header{"Retry-After": {strconv.FormatInt(secs, 10)}}
		}
	case reason != "" && signInfo != nil:
		reply = FailDetail(http.StatusUnauthorized, "SIGN_ERROR", reason, M{"sign_information": signInfo})
	case reason != "":
		reply = Fail(http.StatusUnauthorized, "SIGN_ERROR", reason)
	default:
		reply = s.dispatch(r, relPath, body)
	}
	status := s.write(w, reply, fault, requestID)
	s.update(rec, func(rr *RecordedRequest) { rr.Status = status })
}

// write sends reply, signed unless it asks not to be, and returns the
// status sent.
func (s *Server) write(w http.ResponseWriter, reply Reply, fault Fault, requestID string) int {
	status, body, contentType, err := reply.encode()
	if err != nil {
		reply = Fail(http.StatusInternalServerError, "SYSTEM_ERROR", err.Error())
		status, body, contentType, _ = reply.encode()
	}
	h := w.Header()
	for k, vs := range reply.Header {
		h[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	h.Set("Request-ID", requestID)
	if !reply.Unsigned {
		body = s.signAnswer(h, status, body, fault)
	}
	if !bodyAllowed(status) {
		body = nil
	} else {
		h.Set("Content-Length", strconv.Itoa(len(body)))
	}
	w.WriteHeader(status)
	if len(body) > 0 {
		if _, err := w.Write(body); err != nil && !errors.Is(err, http.ErrBodyNotAllowed) {
			return status // the client went away; nothing more to do
		}
	}
	return status
}

// bodyAllowed reports whether an answer with status may carry a body.
func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}
