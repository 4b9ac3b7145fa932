package envs

import "strings"

// suggest returns the candidate nearest to word, or "" when none is near
// enough to be a plausible typo. A word that starts a candidate ("prod" for
// "production") counts as near.
func suggest(word string, candidates []string) string {
	best, bestDist := "", -1
	for _, c := range candidates {
		d := distance(word, c)
		if len(word) >= 3 && strings.HasPrefix(c, word) {
			d = min(d, 1)
		}
		if cp := commonPrefix(word, c); cp >= 4 && 2*cp >= len(word) {
			d = min(d, 2)
		}
		if bestDist < 0 || d < bestDist || d == bestDist && commonPrefix(word, c) > commonPrefix(word, best) {
			best, bestDist = c, d
		}
	}
	limit := max(2, len(word)/3)
	if bestDist < 0 || bestDist > limit {
		return ""
	}
	return best
}

// distance is the Levenshtein distance between a and b, counting a swap of
// two neighbouring letters as one edit (read_onyl -> read_only).
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// Suggest returns the candidate nearest to word (a mistyped environment's
// name, say), or "" when none is near enough to be a plausible typo.
func Suggest(word string, candidates []string) string {
	return suggest(word, candidates)
}
