package graph

import (
	"fmt"
	"strings"
)

// writeDOT writes a Graphviz digraph: scopes and Parallel/Map states are
// clusters, nodes are declared in them and every edge after all of them.
func writeDOT(b *strings.Builder, graphs []*graph) {
	b.WriteString("digraph \"state machine\" {\n")
	b.WriteString("  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=10];\n")
	var edges []edge
	for _, g := range graphs {
		if len(graphs) > 1 {
			fmt.Fprintf(b, "  subgraph %s {\n    label=%s;\n", dotID("cluster_"+g.ids.make("machine_"+g.name)), dotString(g.name))
			dotScope(b, g.root, "    ", &edges)
			b.WriteString("  }\n")
		} else {
			dotScope(b, g.root, "  ", &edges)
		}
	}
	for _, e := range edges {
		var attrs []string
		if e.label != "" {
			attrs = append(attrs, "label="+dotString(e.label))
		}
		switch e.kind {
		case catchEdge, retryEdge:
			attrs = append(attrs, "style=dashed")
		case childEdge:
			attrs = append(attrs, "style=dotted", "arrowhead=none")
		}
		fmt.Fprintf(b, "  %s -> %s", dotID(e.from), dotID(e.to))
		if len(attrs) > 0 {
			fmt.Fprintf(b, " [%s]", strings.Join(attrs, ", "))
		}
		b.WriteString(";\n")
	}
	b.WriteString("}\n")
}

func dotScope(b *strings.Builder, s *scope, indent string, edges *[]edge) {
	*edges = append(*edges, s.edges...)
	for _, it := range s.items {
		switch it := it.(type) {
		case *node:
			dotNode(b, it, indent)
		case *compound:
			fmt.Fprintf(b, "%ssubgraph %s {\n%s  label=%s;\n", indent, dotID("cluster_"+it.id), indent, dotString(it.label))
			dotNode(b, it.state, indent+"  ")
			for _, c := range it.children {
				fmt.Fprintf(b, "%s  subgraph %s {\n%s    label=%s;\n", indent, dotID("cluster_"+c.id), indent, dotString(c.label))
				dotScope(b, c, indent+"    ", edges)
				fmt.Fprintf(b, "%s  }\n", indent)
			}
			fmt.Fprintf(b, "%s}\n", indent)
		}
	}
}

func dotNode(b *strings.Builder, n *node, indent string) {
	attrs := ""
	switch n.shape {
	case choiceShape:
		attrs = ", shape=diamond, style=solid"
	case passShape:
		attrs = ", style=\"rounded,dashed\""
	case succeedShape:
		attrs = ", style=\"rounded,filled\", fillcolor=\"#ddffdd\""
	case failShape:
		attrs = ", style=\"rounded,filled\", fillcolor=\"#ffdddd\""
	case startShape:
		attrs = ", shape=circle, style=filled, fillcolor=black, fontcolor=white, fontsize=10"
	case endShape:
		attrs = ", shape=doublecircle, style=filled, fillcolor=black, fontcolor=white, fontsize=10"
	case missingShape:
		attrs = ", style=dashed, color=red, fontcolor=red"
	}
	fmt.Fprintf(b, "%s%s [label=%s%s];\n", indent, dotID(n.id), dotString(n.label), attrs)
}

// dotID quotes a node or cluster ID; IDs are already letters, digits and
// underscores.
func dotID(id string) string { return "\"" + id + "\"" }

// dotString quotes text for a DOT label: backslashes and quotes are
// escaped (so Graphviz's \N, \G, \l escapes cannot appear), & is &amp;
// (so entities cannot), line breaks become \n and other control
// characters U+FFFD.
func dotString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == '"':
			b.WriteString(`\"`)
		case r == '&':
			// Graphviz reads HTML entities in every label.
			b.WriteString("&amp;")
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f:
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
