package catalog

import "strings"

// node is a path-segment trie: literal children, one placeholder child, and
// the endpoints (one per method) whose path ends here.
type node struct {
	literal map[string]*node
	param   *node
	methods []methodIndex
}

type methodIndex struct {
	method string
	index  int
}

// insert adds endpoint i under path. Two catalogued paths that differ only
// in placeholder names share a node; the first one catalogued keeps the
// method there.
func (n *node) insert(path, method string, i int) {
	for rest, more := path, true; more; {
		var seg string
		seg, rest, more = strings.Cut(rest, "/")
		if isPlaceholder(seg) {
			if n.param == nil {
				n.param = &node{}
			}
			n = n.param
			continue
		}
		if n.literal == nil {
			n.literal = map[string]*node{}
		}
		child := n.literal[seg]
		if child == nil {
			child = &node{}
			n.literal[seg] = child
		}
		n = child
	}
	for _, m := range n.methods {
		if m.method == method {
			return
		}
	}
	n.methods = append(n.methods, methodIndex{method, i})
}

// match finds the node for path: a literal segment beats a placeholder,
// backtracking when the literal branch does not lead to an endpoint. A
// "{…}" segment of path matches placeholders only; an empty segment
// matches only an empty literal (a trailing "/").
func (n *node) match(path string) *node {
	seg, rest, more := strings.Cut(path, "/")
	if child := n.literal[seg]; child != nil && !isPlaceholder(seg) {
		if !more {
			if len(child.methods) > 0 {
				return child
			}
		} else if found := child.match(rest); found != nil {
			return found
		}
	}
	if n.param == nil || seg == "" {
		return nil
	}
	if !more {
		if len(n.param.methods) > 0 {
			return n.param
		}
		return nil
	}
	return n.param.match(rest)
}

// endpoint returns the index of method at n.
func (n *node) endpoint(method string) (int, bool) {
	for _, m := range n.methods {
		if m.method == method {
			return m.index, true
		}
	}
	return 0, false
}

// cleanPath trims a leading "/" and cuts a query or fragment part: "?…",
// "#…", or a template's "{?…}" / "{&…}" expression.
func cleanPath(path string) string {
	path = strings.TrimPrefix(path, "/")
	for i := 0; i < len(path); i++ {
		switch path[i] {
		case '?', '#':
			return path[:i]
		case '{':
			if i+1 < len(path) && (path[i+1] == '?' || path[i+1] == '&') {
				return path[:i]
			}
		}
	}
	return path
}
