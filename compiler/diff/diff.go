// Package diff compares two CloudFormation templates the way a person
// reviews a deployment: resources added, removed, changed and replaced (by
// logical ID, with their Type); a state machine's definition state by
// state, after undoing the Fn::Sub placeholders the plugin writes; IAM
// policies as the permissions granted and revoked; API Gateway methods as
// endpoints (METHOD /path); every other change as a JSON-path-like line.
//
// Output is sorted (sections in a fixed order, resources by logical ID,
// endpoints by path and method), so the same templates always give the
// same text.
package diff

import (
	"fmt"
	"sort"
	"strings"
)

// Result holds the differences between two templates.
type Result struct {
	sections []section
	counts   map[string]int
}

type section struct {
	title   string
	entries []entry
}

// entry is one resource, endpoint or template key: a header line and
// indented details.
type entry struct {
	sortKey string
	header  string
	details []string
}

// Changed reports whether the templates differ.
func (r *Result) Changed() bool { return len(r.sections) > 0 }

// String is the report: a summary line, then each section.
func (r *Result) String() string {
	if !r.Changed() {
		return "No differences.\n"
	}
	var b strings.Builder
	var counts []string
	for _, kind := range []string{"added", "removed", "changed", "replaced"} {
		if n := r.counts[kind]; n > 0 {
			counts = append(counts, fmt.Sprintf("%d %s", n, kind))
		}
	}
	if len(counts) > 0 {
		fmt.Fprintf(&b, "Resources: %s.\n", strings.Join(counts, ", "))
	}
	for _, s := range r.sections {
		fmt.Fprintf(&b, "\n%s\n", s.title)
		for _, e := range s.entries {
			b.WriteString(e.header + "\n")
			for _, d := range e.details {
				b.WriteString("    " + d + "\n")
			}
		}
	}
	return b.String()
}

// Section titles, in output order.
const (
	machinesSection  = "State machines"
	iamSection       = "IAM"
	endpointsSection = "Endpoints"
	otherSection     = "Other resources"
	templateSection  = "Template"
)

var sectionOrder = []string{machinesSection, iamSection, endpointsSection, otherSection, templateSection}

func sectionOf(typ string) string {
	switch typ {
	case "AWS::StepFunctions::StateMachine", "AWS::StepFunctions::Activity":
		return machinesSection
	case "AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
		return iamSection
	}
	return otherSection
}

// Compare returns the differences from old to new.
func Compare(old, new map[string]any) *Result {
	r := &Result{counts: map[string]int{}}
	bySection := map[string][]entry{}
	add := func(sec string, e entry) { bySection[sec] = append(bySection[sec], e) }

	oldRes, newRes := resourcesOf(old), resourcesOf(new)
	handled := map[string]bool{}
	for _, e := range compareEndpoints(oldRes, newRes, handled, r.counts) {
		add(endpointsSection, e)
	}
	var removed, added []string
	for _, id := range sortedKeys(oldRes) {
		if handled["old "+id] {
			continue
		}
		if _, ok := newRes[id]; !ok {
			removed = append(removed, id)
		}
	}
	for _, id := range sortedKeys(newRes) {
		if handled["new "+id] {
			continue
		}
		nr := newRes[id]
		or, inOld := oldRes[id]
		switch {
		case !inOld:
			added = append(added, id)
		case !equal(or, nr):
			e := resourceEntry(id, id, or, nr)
			r.counts[e.kind]++
			add(sectionOf(typeOf(nr)), e.entry)
		}
	}
	// A resource whose logical ID changed is replaced: pair the removed
	// and added resources of one Type with the same name, or the same
	// properties.
	// Failing that, the only resource of a Type removed and the only one
	// added are taken as one replaced: that is what CloudFormation does
	// with them, and their differences are worth showing.
	pairedNew := map[string]bool{}
	removedOfType, addedOfType := map[string]int{}, map[string]int{}
	for _, id := range removed {
		removedOfType[typeOf(oldRes[id])]++
	}
	for _, id := range added {
		addedOfType[typeOf(newRes[id])]++
	}
	for _, oldID := range removed {
		or := oldRes[oldID]
		typ := typeOf(or)
		newID := ""
		for _, id := range added {
			if !pairedNew[id] && typeOf(newRes[id]) == typ && samePhysical(or, newRes[id]) {
				newID = id
				break
			}
		}
		if newID == "" && removedOfType[typ] == 1 && addedOfType[typ] == 1 {
			for _, id := range added {
				if !pairedNew[id] && typeOf(newRes[id]) == typ {
					newID = id
				}
			}
		}
		if newID == "" {
			r.counts["removed"]++
			add(sectionOf(typeOf(or)), entry{sortKey: oldID, header: fmt.Sprintf("- %s (%s)", oldID, typeOf(or))})
			continue
		}
		pairedNew[newID] = true
		e := resourceEntry(oldID, newID, or, newRes[newID])
		r.counts["replaced"]++
		add(sectionOf(typeOf(or)), e.entry)
	}
	for _, id := range added {
		if !pairedNew[id] {
			r.counts["added"]++
			add(sectionOf(typeOf(newRes[id])), entry{sortKey: id, header: fmt.Sprintf("+ %s (%s)", id, typeOf(newRes[id]))})
		}
	}
	for _, e := range compareSections(old, new) {
		add(templateSection, e)
	}
	for _, title := range sectionOrder {
		entries := bySection[title]
		if len(entries) == 0 {
			continue
		}
		sort.SliceStable(entries, func(i, j int) bool { return entries[i].sortKey < entries[j].sortKey })
		r.sections = append(r.sections, section{title: title, entries: entries})
	}
	return r
}

// resourcesOf is a template's Resources, each as an object.
func resourcesOf(t map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	res, _ := t["Resources"].(map[string]any)
	for id, v := range res {
		if m, ok := v.(map[string]any); ok {
			out[id] = m
		} else {
			out[id] = map[string]any{"Type": "", "Properties": v}
		}
	}
	return out
}

func typeOf(r map[string]any) string {
	s, _ := r["Type"].(string)
	return s
}

func propsOf(r map[string]any) map[string]any {
	m, _ := r["Properties"].(map[string]any)
	return m
}

// kindedEntry is an entry and what happened to its resource: changed or
// replaced.
type kindedEntry struct {
	entry
	kind string
}

// resourceEntry describes a resource present in both templates, under
// oldID and newID (the same unless its logical ID changed).
func resourceEntry(oldID, newID string, or, nr map[string]any) kindedEntry {
	typ := typeOf(nr)
	var details []string
	var reasons []string
	if oldID != newID {
		reason := "new logical ID"
		if prop, name := physicalName(nr); name != nil && equal(name, propsOf(or)[prop]) {
			reason += fmt.Sprintf(", same %s %s: CloudFormation creates the new resource before it deletes the old one, so this update fails while the name is taken", prop, render(name))
		}
		reasons = append(reasons, reason)
	}
	if typeOf(or) != typ {
		reasons = append(reasons, "Type changes")
		details = append(details, "~ Type: "+render(or["Type"])+" → "+render(nr["Type"]))
	} else {
		for _, prop := range replacingProperties[typ] {
			if !equal(propsOf(or)[prop], propsOf(nr)[prop]) {
				reasons = append(reasons, prop+" changes")
			}
		}
	}
	switch sectionOf(typ) {
	case machinesSection:
		details = append(details, stateMachineDetails(or, nr)...)
	case iamSection:
		details = append(details, iamDetails(or, nr)...)
	default:
		diffValue("", withoutType(or), withoutType(nr), &details)
	}
	name := formatName(oldID, newID)
	if len(reasons) > 0 {
		return kindedEntry{entry{sortKey: newID, header: fmt.Sprintf("! %s (%s) is replaced: %s", name, typ, strings.Join(reasons, "; ")), details: details}, "replaced"}
	}
	return kindedEntry{entry{sortKey: newID, header: fmt.Sprintf("~ %s (%s)", name, typ), details: details}, "changed"}
}

func withoutType(r map[string]any) map[string]any {
	out := make(map[string]any, len(r))
	for k, v := range r {
		if k != "Type" {
			out[k] = v
		}
	}
	return out
}

// samePhysical reports whether two resources of one Type under different
// logical IDs are the same thing renamed: the same explicit name, or the
// same properties.
func samePhysical(a, b map[string]any) bool {
	if _, an := physicalName(a); an != nil {
		_, bn := physicalName(b)
		return equal(an, bn)
	}
	return equal(propsOf(a), propsOf(b))
}

// physicalName is the property that names a resource of its Type, and its
// value when set.
func physicalName(r map[string]any) (string, any) {
	prop := nameProperties[typeOf(r)]
	if prop == "" {
		return "", nil
	}
	return prop, propsOf(r)[prop]
}

// compareSections compares the template's keys other than Resources.
func compareSections(old, new map[string]any) []entry {
	var out []entry
	for _, k := range sortedKeysOfBoth(old, new) {
		if k == "Resources" {
			continue
		}
		var lines []string
		ov, inOld := old[k]
		nv, inNew := new[k]
		switch {
		case !inOld:
			lines = append(lines, "+ "+join("", k)+": "+render(nv))
		case !inNew:
			lines = append(lines, "- "+join("", k)+": "+render(ov))
		default:
			diffValue(join("", k), ov, nv, &lines)
		}
		for i, l := range lines {
			out = append(out, entry{sortKey: fmt.Sprintf("%s %06d", k, i), header: l})
		}
	}
	return out
}
