package wechatpay

import (
	"context"
	"fmt"
	"strings"

	"github.com/wechatpay-chain/wechatpay/template"
)

// Chain is a request target: a URI template (RFC 6570) relative to the
// client's base URL, bound to the client that sends it.
//
// A Chain is immutable: it is safe to keep, reuse and share between
// goroutines, and [Chain.Chain] returns a new Chain. The template is parsed
// once, when the Chain is made; a syntax error is kept and returned by every
// send (and by [Chain.Err]).
type Chain struct {
	client *Client
	path   string
	tmpl   *template.Template
	names  []string // template variables, in order of first use
	// slashEnd: the template's own path (before any query or fragment) ends
	// with '/', so an expansion may too.
	slashEnd bool
	err      error
}

// Chain returns the request target made of parts, joined with '/'. Each
// part is either a path or a segment name:
//
//   - a part that contains '/' is a path: a URI template taken verbatim, so
//     literal ids ("ORDER20261201A"), "_x_" text, capitals and a literal
//     query ("?token=…") survive byte for byte;
//   - a part without '/' is one segment name, normalised: a template
//     expression ("{card_id}", "{?a,b}") is kept verbatim; "_name_" becomes
//     "{name}" ("_openId_" gives "{openId}"); otherwise a leading capital is
//     lowered and every other ASCII capital X becomes "-x"
//     ("membercardOpen" gives "membercard-open", "complaintsV2" gives
//     "complaints-v2").
//
// A trailing '/' is kept; a leading '/' is ignored (paths are relative to
// the base URL). Values belong in placeholders, literals in a path. So
// these are one target:
//
//	client.Chain("v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare")
//	client.Chain("v3", "marketing", "membercardOpen", "cards", "_card_id_", "codes", "_code_", "bonus", "prepare")
func (c *Client) Chain(parts ...string) *Chain {
	return newChain(c, "", parts)
}

// Chain returns a new Chain that extends ch with parts, read as by
// [Client.Chain].
func (ch *Chain) Chain(parts ...string) *Chain {
	if ch.err != nil {
		return ch
	}
	return newChain(ch.client, ch.path, parts)
}

func newChain(c *Client, prefix string, parts []string) *Chain {
	ch := &Chain{client: c}
	var b strings.Builder
	b.WriteString(prefix)
	for _, part := range parts {
		piece, err := chainPiece(part)
		if err != nil {
			ch.err = err
			return ch
		}
		if piece == "" {
			continue
		}
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "/") {
			b.WriteByte('/')
		}
		b.WriteString(piece)
	}
	ch.path = b.String()
	ch.slashEnd = strings.HasSuffix(templatePath(ch.path), "/")
	ch.err = ch.parse()
	return ch
}

// parse compiles the chain's path into its template and checks that no
// variable collides with a reserved option key.
func (ch *Chain) parse() error {
	if ch.path == "" {
		return fmt.Errorf("%w: empty chain: no path to send to", ErrTemplate)
	}
	t, err := template.Parse(ch.path)
	if err != nil {
		return fmt.Errorf("chain %q: %w", ch.path, err)
	}
	ch.tmpl, ch.names = t, t.Names()
	for _, name := range ch.names {
		if isReserved(name) {
			return fmt.Errorf("%w: chain %q: template variable %q collides with the reserved option key of that name (reserved: %s)", ErrTemplate, ch.path, name, reservedList())
		}
	}
	return nil
}

// Path returns the chain's template, e.g.
// "v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare".
func (ch *Chain) Path() string { return ch.path }

// String returns the same as [Chain.Path].
func (ch *Chain) String() string { return ch.path }

// Err returns the error found when the chain was made (a template syntax
// error, an empty segment), or nil. Every send returns it too.
func (ch *Chain) Err() error { return ch.err }

// Names returns the template variables of the chain, in order of first use.
func (ch *Chain) Names() []string { return append([]string(nil), ch.names...) }

// Do sends a request with the given method and returns the verified answer.
// Non-2xx answers are returned as [*APIError]; signature failures match
// [ErrVerification]; option and template failures match [ErrTemplate] and
// happen before any network I/O.
func (ch *Chain) Do(ctx context.Context, method string, opts Options) (*Response, error) {
	if err := ch.usable(); err != nil {
		return nil, err
	}
	req, err := ch.prepareSealed(ctx, method, opts) // sensitive.go
	if err != nil {
		return nil, err
	}
	return ch.client.send(ctx, req)
}

// Get sends a GET request. See [Chain.Do].
func (ch *Chain) Get(ctx context.Context, opts Options) (*Response, error) {
	return ch.Do(ctx, "GET", opts)
}

// Post sends a POST request. See [Chain.Do].
func (ch *Chain) Post(ctx context.Context, opts Options) (*Response, error) {
	return ch.Do(ctx, "POST", opts)
}

// Put sends a PUT request. See [Chain.Do].
func (ch *Chain) Put(ctx context.Context, opts Options) (*Response, error) {
	return ch.Do(ctx, "PUT", opts)
}

// Patch sends a PATCH request. See [Chain.Do].
func (ch *Chain) Patch(ctx context.Context, opts Options) (*Response, error) {
	return ch.Do(ctx, "PATCH", opts)
}

// Delete sends a DELETE request. See [Chain.Do].
func (ch *Chain) Delete(ctx context.Context, opts Options) (*Response, error) {
	return ch.Do(ctx, "DELETE", opts)
}
