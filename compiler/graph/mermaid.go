package graph

import (
	"fmt"
	"strings"
)

// writeMermaid writes a Mermaid flowchart. Nodes are declared inside
// their subgraphs and every edge after all of them, because Mermaid puts
// a node in the subgraph where it is first mentioned.
func writeMermaid(b *strings.Builder, graphs []*graph) {
	b.WriteString("flowchart TD\n")
	var edges []edge
	classes := map[shape][]string{}
	for _, g := range graphs {
		if len(graphs) > 1 {
			fmt.Fprintf(b, "  subgraph %s[\"%s\"]\n", g.ids.make("machine_"+g.name), mermaidText(g.name))
			mermaidScope(b, g.root, "    ", &edges, classes)
			b.WriteString("  end\n")
		} else {
			mermaidScope(b, g.root, "  ", &edges, classes)
		}
	}
	for _, e := range edges {
		arrow := "-->"
		switch e.kind {
		case catchEdge, retryEdge, childEdge:
			arrow = "-.->"
		}
		if e.label == "" {
			fmt.Fprintf(b, "  %s %s %s\n", e.from, arrow, e.to)
		} else {
			fmt.Fprintf(b, "  %s %s|\"%s\"| %s\n", e.from, arrow, mermaidText(e.label), e.to)
		}
	}
	for _, c := range []struct {
		shape shape
		name  string
		style string
	}{
		{startShape, "start", "fill:#333,stroke:#333,color:#fff"},
		{endShape, "stop", "fill:#333,stroke:#333,color:#fff"},
		{succeedShape, "succeed", "fill:#dfd,stroke:#393"},
		{failShape, "fail", "fill:#fdd,stroke:#c33"},
		{missingShape, "missing", "fill:#fff,stroke:#c33,stroke-dasharray:4 3,color:#c33"},
	} {
		if ids := classes[c.shape]; len(ids) > 0 {
			fmt.Fprintf(b, "  classDef %s %s\n", c.name, c.style)
			fmt.Fprintf(b, "  class %s %s\n", strings.Join(ids, ","), c.name)
		}
	}
}

func mermaidScope(b *strings.Builder, s *scope, indent string, edges *[]edge, classes map[shape][]string) {
	*edges = append(*edges, s.edges...)
	for _, it := range s.items {
		switch it := it.(type) {
		case *node:
			mermaidNode(b, it, indent, classes)
		case *compound:
			fmt.Fprintf(b, "%ssubgraph %s[\"%s\"]\n", indent, it.id, mermaidText(it.label))
			mermaidNode(b, it.state, indent+"  ", classes)
			for _, c := range it.children {
				fmt.Fprintf(b, "%s  subgraph %s[\"%s\"]\n", indent, c.id, mermaidText(c.label))
				mermaidScope(b, c, indent+"    ", edges, classes)
				fmt.Fprintf(b, "%s  end\n", indent)
			}
			fmt.Fprintf(b, "%send\n", indent)
		}
	}
}

func mermaidNode(b *strings.Builder, n *node, indent string, classes map[shape][]string) {
	open, close := "[", "]"
	switch n.shape {
	case choiceShape:
		open, close = "{", "}"
	case passShape:
		open, close = "(", ")"
	case succeedShape, failShape:
		open, close = "([", "])"
	case startShape:
		open, close = "((", "))"
	case endShape:
		open, close = "(((", ")))"
	}
	fmt.Fprintf(b, "%s%s%s\"%s\"%s\n", indent, n.id, open, mermaidText(n.label), close)
	switch n.shape {
	case startShape, endShape, succeedShape, failShape, missingShape:
		classes[n.shape] = append(classes[n.shape], n.id)
	}
}

// mermaidText escapes text for a quoted Mermaid label. Mermaid reads
// #name; and #number; as entities and renders labels as HTML, so every
// character that is markup, a quote, an entity or comment start, a
// Markdown-string backtick or a control character is written as an entity;
// line breaks become <br>.
func mermaidText(s string) string {
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case r == '\n':
			b.WriteString("<br>")
		case r == '"':
			b.WriteString("#quot;")
		case r == '#' || r == '<' || r == '>' || r == '&' || r == '`' || r == '|' || r == '%' || r == '\\' || r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "#%d;", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
