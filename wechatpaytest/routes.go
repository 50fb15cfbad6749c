package wechatpaytest

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
)

// route is a method and pattern bound to a handler.
type route struct {
	method  string // "" matches every method
	pattern pattern
	handler Handler
}

// Handle routes requests with method and a path matching pattern (relative
// to the base path, such as "v3/pay/transactions/id/{transaction_id}"; a
// {name} placeholder matches one non-empty path segment and its decoded
// value is in Request.Vars) to h. Method "*" or "" matches every method.
// Routes added with Handle take precedence over the built-in ones; among
// them, a literal segment beats a placeholder at the first place they differ
// and, when that does not decide, the later registration wins. Handle with
// the same method and pattern replaces the earlier handler; a nil h removes
// it.
func (s *Server) Handle(method, pattern string, h Handler) {
	r := route{method: normalizeMethod(method), pattern: parsePattern(pattern), handler: h}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.routes = slices.DeleteFunc(s.routes, func(old route) bool {
		return old.method == r.method && old.pattern.raw == r.pattern.raw
	})
	if h != nil {
		s.routes = append(s.routes, r)
	}
}

// lookup finds the handler for method and relPath among routes. When none
// matches the method but some match the path, allowed lists their methods.
func lookup(routes []route, method, relPath string) (h Handler, vars map[string]string, allowed []string) {
	var best *route
	for i := range routes {
		r := &routes[i]
		v, ok := r.pattern.match(relPath)
		if !ok {
			continue
		}
		if r.method != "" && r.method != method {
			allowed = append(allowed, r.method)
			continue
		}
		if best == nil || !best.pattern.moreSpecific(r.pattern) {
			best, vars = r, v
		}
	}
	if best == nil {
		return nil, nil, allowed
	}
	return best.handler, vars, nil
}

// dispatch runs the route for an authenticated request.
func (s *Server) dispatch(r *http.Request, relPath string, body []byte) Reply {
	s.mu.Lock()
	user := slices.Clone(s.routes)
	s.mu.Unlock()

	h, vars, allowed := lookup(user, r.Method, relPath)
	if h == nil {
		var more []string
		h, vars, more = lookup(s.builtins, r.Method, relPath)
		allowed = append(allowed, more...)
	}
	if h == nil {
		var more []string
		h, vars, more = s.catalogRoute(r.Method, relPath)
		allowed = append(allowed, more...)
	}
	if h == nil {
		if len(allowed) > 0 {
			sort.Strings(allowed)
			allowed = slices.Compact(allowed)
			rp := Fail(http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED",
				fmt.Sprintf("%s is not allowed on /%s; allowed: %s", r.Method, relPath, strings.Join(allowed, ", ")))
			rp.Header = http.Header{"Allow": {strings.Join(allowed, ", ")}}
			return rp
		}
		return Fail(http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("no route for %s %s", r.Method, r.URL.Path))
	}
	if vars == nil {
		vars = map[string]string{}
	}
	return runHandler(h, &Request{
		Method: r.Method,
		Path:   relPath,
		Vars:   vars,
		Query:  r.URL.Query(),
		Header: r.Header.Clone(),
		Body:   body,
		ctx:    r.Context(),
	})
}

// runHandler runs h, turning a panic into a 500 answer.
func runHandler(h Handler, req *Request) (rp Reply) {
	defer func() {
		if p := recover(); p != nil {
			rp = Fail(http.StatusInternalServerError, "SYSTEM_ERROR", fmt.Sprintf("handler for /%s panicked: %v", req.Path, p))
		}
	}()
	return h(req)
}
