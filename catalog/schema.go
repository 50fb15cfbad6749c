package catalog

import "sync"

// schemaNode is a documented JSON field with its children by name. A name
// may have alternatives (the docs list alternative shapes as repeated
// siblings).
type schemaNode struct {
	field    Field
	children map[string][]*schemaNode
	order    []string // child names in document order, each once
}

// schemaSlot holds an endpoint's JSON body tree, built on first use.
type schemaSlot struct {
	once sync.Once
	root *schemaNode // nil when the endpoint documents no "json" option
}

// schema returns the tree of the "json" request option of endpoint i.
func (d *database) schema(i int) *schemaNode {
	s := &d.schemas[i]
	s.once.Do(func() { s.root = buildSchema(d.endpoints[i].Request, "json") })
	return s.root
}

// buildSchema returns the tree under the top-level row called option, or
// nil when there is none.
func buildSchema(rows []Field, option string) *schemaNode {
	start := -1
	for i, f := range rows {
		if f.Depth == 0 && f.Name == option {
			start = i
			break
		}
	}
	if start < 0 {
		return nil
	}
	root := &schemaNode{field: rows[start]}
	stack := []*schemaNode{root}
	for _, f := range rows[start+1:] {
		if f.Depth == 0 {
			break
		}
		for len(stack) > 1 && stack[len(stack)-1].field.Depth >= f.Depth {
			stack = stack[:len(stack)-1]
		}
		parent := stack[len(stack)-1]
		n := &schemaNode{field: f}
		parent.add(n)
		stack = append(stack, n)
	}
	return root
}

func (n *schemaNode) add(child *schemaNode) {
	if n.children == nil {
		n.children = map[string][]*schemaNode{}
	}
	name := child.field.Name
	if _, seen := n.children[name]; !seen {
		n.order = append(n.order, name)
	}
	n.children[name] = append(n.children[name], child)
}

// each calls fn for every node below n with its dotted path.
func (n *schemaNode) each(prefix string, fn func(path string, c *schemaNode)) {
	for _, name := range n.order {
		p := name
		if prefix != "" {
			p = prefix + "." + name
		}
		for _, c := range n.children[name] {
			fn(p, c)
			c.each(p, fn)
		}
	}
}
