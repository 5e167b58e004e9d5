package schema

import (
	"strings"
	"testing"
)

// render prints a node compactly for assertions: maps keep source order.
func render(n *Node) string {
	var b strings.Builder
	var w func(n *Node)
	w = func(n *Node) {
		switch n.Kind {
		case Map:
			b.WriteByte('{')
			for i, p := range n.Pairs {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(p.Key + ":")
				w(p.Value)
			}
			b.WriteByte('}')
		case List:
			b.WriteByte('[')
			for i, it := range n.Items {
				if i > 0 {
					b.WriteByte(',')
				}
				w(it)
			}
			b.WriteByte(']')
		case String:
			b.WriteString("'" + n.Value + "'")
		case Null:
			b.WriteString("null")
		default:
			b.WriteString(n.Value)
		}
	}
	w(n)
	return b.String()
}

func TestParseYAML(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"scalars", "a: 1\nb: 1.50\nc: true\nd: ~\ne: '1'\nf: 2010-09-09\ng: 0x1F\nh: 1e3", "{a:1,b:1.5,c:true,d:null,e:'1',f:'2010-09-09T00:00:00.000Z',g:31,h:1000}"},
		{"ref", "a: !Ref X", "{a:{Ref:'X'}}"},
		{"getatt dotted", "a: !GetAtt A.B.C", "{a:{Fn::GetAtt:['A','B.C']}}"},
		{"getatt list", "a: !GetAtt [A, Arn]", "{a:{Fn::GetAtt:['A','Arn']}}"},
		{"sub list", "a: !Sub ['${x}', {x: !Ref Y}]", "{a:{Fn::Sub:['${x}',{x:{Ref:'Y'}}]}}"},
		{"nested tags", "a: !Join ['', [!Ref A, !ImportValue B]]", "{a:{Fn::Join:['',[{Ref:'A'},{Fn::ImportValue:'B'}]]}}"},
		{"condition tags", "a: !If [C, !Equals [1, 1], !Not [!Condition D]]", "{a:{Fn::If:['C',{Fn::Equals:[1,1]},{Fn::Not:[{Condition:'D'}]}]}}"},
		{"other tags", "a: [!Select [0, !GetAZs ''], !Split [',', x], !Base64 y, !Cidr [a, 1, 2], !FindInMap [M, k, v], !And [x], !Or [y]]",
			"{a:[{Fn::Select:[0,{Fn::GetAZs:''}]},{Fn::Split:[',','x']},{Fn::Base64:'y'},{Fn::Cidr:['a',1,2]},{Fn::FindInMap:['M','k','v']},{Fn::And:['x']},{Fn::Or:['y']}]}"},
		{"alias", "a: &x {k: 1}\nb: *x", "{a:{k:1},b:{k:1}}"},
		{"merge in place", "base: &b {x: 1, y: 2}\nm:\n  first: 0\n  <<: *b\n  x: 9\n  z: 3", "{base:{x:1,y:2},m:{first:0,x:9,y:2,z:3}}"},
		{"merge list earlier wins", "a: &a {k: 1}\nb: &b {k: 2, j: 2}\nm:\n  <<: [*a, *b]", "{a:{k:1},b:{k:2,j:2},m:{k:1,j:2}}"},
		{"numeric keys", "200: a\n1.0: b\nnull: c", "{200:'a',1:'b',null:'c'}"},
		{"empty", "", "null"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n, d := ParseYAML("f.yml", []byte(c.in))
			if d.HasErrors() {
				t.Fatalf("unexpected errors: %v", d)
			}
			if got := render(n); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

func TestParseYAMLErrors(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"duplicate key", "a: 1\nb: 2\na: 3", `f.yml:3:1: duplicate key "a"`},
		{"syntax", "a: [1, 2\nb: 3", "f.yml:1:4: YAML syntax error"},
		{"unknown tag", "a: !Reff X", `f.yml:1:4: unknown tag !Reff`},
		{"empty ref", "a: !Ref ''", "f.yml:1:4: empty !Ref"},
		{"bad getatt", "a: !GetAtt NoDot", "f.yml:1:4: malformed !GetAtt"},
		{"two documents", "a: 1\n---\nb: 2", "more than one YAML document"},
		{"self alias", "a: &x [1, *x]", "alias refers to itself"},
		{"bad merge", "a: &x 1\nb: {<<: *x}", "merge key needs a mapping"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, d := ParseYAML("f.yml", []byte(c.in))
			if !d.HasErrors() {
				t.Fatal("expected an error")
			}
			got := d[0].Pos.String() + ": " + d[0].Summary
			if !strings.Contains(got, c.want) {
				t.Errorf("got %q, want it to contain %q", got, c.want)
			}
		})
	}
}

func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 10; i++ {
		b.WriteString("a" + itoa(i) + ": &a" + itoa(i) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + itoa(i-1))
		}
		b.WriteString("]\n")
	}
	_, d := ParseYAML("bomb.yml", []byte(b.String()))
	if len(d) != 1 || d[0].Summary != "too many values after expanding aliases" ||
		!strings.Contains(d[0].Detail, "The file holds 121 values, but its aliases repeat them to more than 500000") {
		t.Fatalf("want one alias-bomb error, got %v", d)
	}
}

// TestLongListIsNotAnAliasBomb pins that a document without aliases that
// is simply too long says so, with the limit, and reports it once.
func TestLongListIsNotAnAliasBomb(t *testing.T) {
	text := "x:\n" + strings.Repeat("  - a\n", MaxNodes+10)
	_, d := ParseYAML("long.yml", []byte(text))
	if len(d) != 1 || d[0].Summary != "too many values" ||
		d[0].Detail != "The file holds 500013 values; stepform reads at most 500000 values from one file. Split the file or shorten it." {
		t.Fatalf("want one too-many-values error, got %v", d)
	}
}

// TestTooManyItemsRejectedBeforeParsing pins the pre-parse bound that keeps
// the YAML library's tree, built before any budget applies, small.
func TestTooManyItemsRejectedBeforeParsing(t *testing.T) {
	text := "x: [" + strings.Repeat("a,", maxYAMLItems) + "]\n"
	_, d := ParseYAML("flat.yml", []byte(text))
	if len(d) != 1 || d[0].Summary != "file holds too many values" {
		t.Fatalf("want one file-holds-too-many-values error, got %v", d)
	}
}

func itoa(i int) string { return string(rune('0' + i)) }

func TestFormatNumber(t *testing.T) {
	for in, want := range map[float64]string{0: "0", 1: "1", -2.5: "-2.5", 1e21: "1e+21", 1e-7: "1e-7", 123456789012: "123456789012", 0.1: "0.1"} {
		if got := FormatNumber(in); got != want {
			t.Errorf("FormatNumber(%v) = %s, want %s", in, got, want)
		}
	}
}

// Plain scalars are typed as js-yaml 4 types them (checked with sls print).
func TestPlainScalarsAsJSYAML(t *testing.T) {
	in := "d: 2016-03-14\nt: 2016-03-14T01:59:00Z\nt2: 2016-03-14 01:59:00.5 +02:00\no: 0123\nu: 1_000\np: +.5\nh: 0x1F\noo: 0o17\ne: 1e3\nb: yes\nn: ~\nq: '0123'\ninf: .inf"
	want := "{d:'2016-03-14T00:00:00.000Z',t:'2016-03-14T01:59:00.000Z',t2:'2016-03-13T23:59:00.500Z',o:123,u:'1_000',p:'+.5',h:31,oo:15,e:1000,b:'yes',n:null,q:'0123',inf:null}"
	n, d := ParseYAML("f.yml", []byte(in))
	if d.HasErrors() {
		t.Fatal(d.Err())
	}
	if got := render(n); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
