package catalog

import (
	"slices"
	"sort"
	"strings"
	"unicode"
)

// Search returns the endpoints whose path, title or page title contain
// every word of words (separated by spaces; case-insensitive; Chinese or
// English, such as "refund domestic", "退款" or "membercard bonus"). Best
// matches come first: a word equal to a whole path segment ("refunds" in
// v3/refund/domestic/refunds) counts more than a word of a segment
// ("transactions" in combine-transactions), which counts more than a
// substring; current endpoints come before deprecated ones; then shorter
// paths, then catalog order. No
// words gives no endpoints.
func Search(words string) []Endpoint {
	terms := strings.Fields(strings.ToLower(words))
	if len(terms) == 0 {
		return nil
	}
	d := db()
	type hit struct{ index, score int }
	var hits []hit
	for i := range d.endpoints {
		if score, ok := matchScore(&d.endpoints[i], terms); ok {
			hits = append(hits, hit{i, score})
		}
	}
	sort.SliceStable(hits, func(a, b int) bool {
		if hits[a].score != hits[b].score {
			return hits[a].score > hits[b].score
		}
		return len(d.endpoints[hits[a].index].Path) < len(d.endpoints[hits[b].index].Path)
	})
	out := make([]Endpoint, len(hits))
	for i, h := range hits {
		out[i] = d.endpoints[h.index]
	}
	return out
}

// matchScore scores e against lower-case terms; ok is false unless every
// term matches.
func matchScore(e *Endpoint, terms []string) (score int, ok bool) {
	path := strings.ToLower(e.Path)
	text := path + "\n" + strings.ToLower(e.Title) + "\n" + strings.ToLower(e.PageTitle) + "\n" + strings.ToLower(e.Method)
	segments := strings.Split(path, "/")
	pathWords := strings.FieldsFunc(path, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for _, t := range terms {
		if !strings.Contains(text, t) {
			return 0, false
		}
		score++
		if slices.Contains(pathWords, t) {
			score += 2
		}
		if slices.Contains(segments, t) {
			score++
		}
	}
	if !e.Deprecated() {
		score++
	}
	return score, true
}

// Suggest returns up to n documented endpoints whose paths are nearest to
// path (by edit distance, with placeholder names ignored), nearest first;
// for a PATH the catalog does not know, "did you mean …".
func Suggest(path string, n int) []Endpoint {
	if n <= 0 {
		return nil
	}
	d := db()
	want := shape(cleanPath(path))
	type cand struct{ index, dist int }
	var cands []cand
	seen := map[string]bool{}
	for i := range d.endpoints {
		e := &d.endpoints[i]
		if seen[e.Path] {
			continue
		}
		seen[e.Path] = true
		cands = append(cands, cand{i, distance(want, shape(e.Path))})
	}
	sort.SliceStable(cands, func(a, b int) bool { return cands[a].dist < cands[b].dist })
	var out []Endpoint
	for _, c := range cands[:min(n, len(cands))] {
		out = append(out, d.endpoints[c.index])
	}
	return out
}

// shape replaces every placeholder segment by "{}", so placeholder names do
// not count in distances.
func shape(path string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if isPlaceholder(s) || strings.HasPrefix(s, "{") {
			segs[i] = "{}"
		}
	}
	return strings.Join(segs, "/")
}
