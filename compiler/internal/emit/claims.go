package emit

import (
	"fmt"
	"strings"

	"github.com/stepform/stepform/schema/diag"
)

// This file records which configuration entry generates each logical ID,
// to report two entries that normalise to the same one ("a-b" and
// "aDashb"): the plugin silently merges the second into the first.

// claim is one configuration entry that names a generated logical ID.
type claim struct {
	pos  diag.Pos
	what string
}

// ClaimID records that what, at pos, generates logical ID id, and reports
// a collision when another entry already does. It returns false then.
func (c *Context) ClaimID(id string, pos diag.Pos, what, fix string) bool {
	// The messages are written only for a collision.
	if c.claims != nil {
		first, taken := c.claims[id]
		if !taken {
			c.claims[id] = claim{pos, what}
			return true
		}
		if first.pos == pos {
			return true
		}
	}
	return c.ClaimName(id, fmt.Sprintf("logical ID %q is generated twice", id), fmt.Sprintf("the logical ID %q", id), pos, what, fix)
}

// ClaimName is ClaimID for a key that stands for several logical IDs,
// described by label.
func (c *Context) ClaimName(key, summary, label string, pos diag.Pos, what, fix string) bool {
	if c.claims == nil {
		c.claims = map[string]claim{}
	}
	first, taken := c.claims[key]
	if !taken {
		c.claims[key] = claim{pos, what}
		return true
	}
	if first.pos == pos {
		return true
	}
	c.Collision(pos, summary, "%s and %s (%s) both give %s, so one resource would silently overwrite the other. %s",
		UpperFirst(what), first.what, first.pos, label, fix)
	return false
}

// Collision reports two entries that generate one logical ID: an error in
// the default mode; the plugin merges the two resources without a word,
// so plugin mode warns.
func (c *Context) Collision(pos diag.Pos, summary, detail string, args ...any) {
	c.Strictf(pos, summary, detail, args...)
}

// UpperFirst capitalises the first letter of a description.
func UpperFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// Claimant returns the entry that claimed logical ID id, if one did.
func (c *Context) Claimant(id string) (what string, pos diag.Pos, ok bool) {
	cl, ok := c.claims[id]
	return cl.what, cl.pos, ok
}
