package main

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/wechatpay-chain/wechatpay"
)

// resolvePath accepts a full URL as PATH when it is on the base URL: the
// part after the base URL is the path, and its query joins the -q
// parameters. A URL elsewhere is refused with what to do instead.
func (r *callRequest) resolvePath(baseURL string) error {
	lower := strings.ToLower(r.path)
	if !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") {
		return nil
	}
	rest, ok := cutPrefixFold(r.path, baseURL)
	if !ok {
		rest, ok = cutPrefixFold(r.path+"/", baseURL) // PATH is the base URL itself
	}
	if !ok {
		return usagef("PATH %q is a URL outside the configured base URL %s: give PATH relative to it (such as v3/pay/transactions/native), or point --base-url (%s) at that host", r.path, baseURL, envBaseURL)
	}
	path, rawQuery, _ := strings.Cut(rest, "?")
	if strings.Contains(path, "#") {
		return usagef("PATH %q carries a fragment; drop the #…", r.path)
	}
	if strings.Trim(path, "/") == "" {
		return usagef("PATH %q names no endpoint under the base URL", r.path)
	}
	r.path = path
	if rawQuery == "" {
		return nil
	}
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return usagef("PATH %q: query: %w", r.path, err)
	}
	merged, _ := r.opts["query"].(url.Values)
	if merged == nil {
		merged = url.Values{}
	}
	for k, vs := range q {
		merged[k] = append(merged[k], vs...)
	}
	r.opts["query"] = merged
	return nil
}

// cutPrefixFold is strings.CutPrefix ignoring ASCII case.
func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return s, false
	}
	return s[len(prefix):], true
}

// checkVars compares the -p variables with the ones PATH names and
// reports every missing and every unused one at once, suggesting the
// variable an unused name probably meant. The library would stop at the
// first problem (a missing variable), hiding the typo that caused it.
func checkVars(chain *wechatpay.Chain, opts wechatpay.Options) error {
	if chain.Err() != nil {
		return nil // the library's own message says what is wrong with PATH
	}
	names := chain.Names()
	var missing, unused []string
	for _, n := range names {
		if _, ok := opts[n]; !ok {
			missing = append(missing, n)
		}
	}
	for k := range opts {
		if slices.Contains(wechatpay.ReservedOptionKeys(), k) {
			continue
		}
		if !slices.Contains(names, k) {
			unused = append(unused, k)
		}
	}
	if len(missing) == 0 && len(unused) == 0 {
		return nil
	}
	slices.Sort(unused)
	var problems []string
	for _, u := range unused {
		p := fmt.Sprintf("-p %s is not a variable of PATH", u)
		if near := nearest(u, missing); near != "" {
			p += fmt.Sprintf(" (did you mean -p %s=…?)", near)
		}
		problems = append(problems, p)
	}
	for _, m := range missing {
		problems = append(problems, fmt.Sprintf("missing -p %s=…", m))
	}
	hint := "PATH " + chain.Path() + " has no variables"
	if len(names) > 0 {
		hint = fmt.Sprintf("PATH %s has variables %q; set each with -p name=value", chain.Path(), names)
	}
	return usagef("%s\n  %s", strings.Join(problems, "; "), hint)
}

// nearest returns the candidate closest to name: equal once case, '_' and
// '-' are ignored, or within two edits; "" when none is.
func nearest(name string, candidates []string) string {
	squash := func(s string) string { return strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(s)) }
	best, bestDist := "", 3
	for _, c := range candidates {
		d := editDistance(name, c)
		if squash(c) == squash(name) {
			d = 0
		}
		if d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b (bytes).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
