package catalog

import (
	"slices"
	"strings"
)

// Lookup finds the endpoint for method (any case) and path. path is a URI
// template as catalogued ("v3/pay/transactions/id/{transaction_id}"), the
// same template with other placeholder names, or a concrete path
// ("v3/pay/transactions/id/4200000001"); a leading "/" and a query part
// ("?…", "{?…}") are ignored. Where a literal segment and a placeholder
// both match, the literal wins ("v3/merchant-service/images/upload" is the
// upload, not an image id). A concrete path cannot tell apart the one pair
// of catalogued templates that differ only in placeholder names
// (v3/apply4subject/applyment/{applyment_id}/cancel and …/{business_code}/cancel):
// it finds the first in catalog order. Lookup does not allocate.
func Lookup(method, path string) (Endpoint, bool) {
	i, ok := db().find(method, path)
	if !ok {
		return Endpoint{}, false
	}
	return loaded.endpoints[i], true
}

// find returns the index of the endpoint for method and path.
func (d *database) find(method, path string) (int, bool) {
	method = strings.ToUpper(method)
	path = cleanPath(path)
	if i, ok := d.exact[routeKey{method, path}]; ok {
		return i, true
	}
	n := d.routes.match(path)
	if n == nil {
		return 0, false
	}
	return n.endpoint(method)
}

// Methods returns the methods catalogued for path (matched as by
// [Lookup]), in the catalog's order; nil when the path is not catalogued.
func Methods(path string) []string {
	n := db().routes.match(cleanPath(path))
	if n == nil {
		return nil
	}
	methods := make([]string, len(n.methods))
	for i, m := range n.methods {
		methods[i] = m.method
	}
	slices.Sort(methods)
	return methods
}

// All returns every endpoint, sorted by API, path and method. The slice is
// new; the endpoints in it share their (read-only) field lists.
func All() []Endpoint { return slices.Clone(db().endpoints) }

// Origin says where the embedded data came from.
func Origin() Source { return db().source }

// Moved returns the page a moved documentation path now lives at ("Moved
// to …" stubs, endpoints and webhooks alike).
func Moved(path string) (string, bool) {
	to, ok := db().moved[cleanPath(path)]
	return to, ok
}
