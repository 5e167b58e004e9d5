package statemachine

import (
	"fmt"
	"strings"

	"github.com/stepform/stepform/compiler/cfn"
	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/internal/lazyre"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// subParam is one intrinsic pulled out of a definition into a Fn::Sub
// variable named by the MD5 of its JSON.
type subParam struct {
	name  string
	value *schema.Node
	// waitSeconds marks a Wait state's Seconds, whose placeholder is
	// written unquoted so that it is a number.
	waitSeconds bool
}

var pseudoParam = lazyre.New(`#\{([^}]+)\}`)

// definitionString builds DefinitionString exactly as the plugin does:
// intrinsics become ${md5} placeholders of a Fn::Sub, #{X} pseudo
// parameters become ${X}, Refs to local functions become static ARNs.
// def is the (possibly prepared) definition; it is not modified.
func (c *emitter) definitionString(m *schema.StateMachine, def *schema.Node) any {
	if def.Kind == schema.String {
		// The plugin writes a string definition as a JSON string literal,
		// quotes included, with \n and \r escapes deleted.
		lit := jsvalue.Stringify(def, "")
		return strings.NewReplacer(`\n`, "", `\r`, "").Replace(lit)
	}
	if !hasSubstitutions(def) {
		// Nothing for extractIntrinsics or replacePseudoParams to change.
		return jsvalue.Stringify(def, "  ")
	}
	original := def
	def = def.Clone()
	var params []subParam
	extractIntrinsics(def, &params)
	replaced := replacePseudoParams(def)
	if !replaced && len(params) == 0 {
		return jsvalue.Stringify(def, "  ")
	}
	// The text becomes a Fn::Sub template, where CloudFormation would read
	// the definition's own ${Name} text as a reference.
	if c.Quirks.SubTextUnescaped {
		c.warnSubReferences(original)
	} else {
		def = original.Clone()
		escapeSubReferences(def)
		params = nil
		extractIntrinsics(def, &params)
		replacePseudoParams(def)
	}
	text := jsvalue.Stringify(def, "  ")
	switch {
	case len(params) == 0 && m.Settings.UseExactVersion:
		return cfn.SubVars(text, map[string]any{})
	case len(params) == 0:
		return cfn.Sub(text)
	}
	for _, p := range params {
		if p.waitSeconds {
			text = strings.ReplaceAll(text, `"${`+p.name+`}"`, "${"+p.name+"}")
		}
	}
	vars := map[string]any{}
	for _, p := range params {
		translated := c.TranslateIntrinsic(p.value)
		if name := c.LocalFunctionName(translated); name != "" {
			text = strings.ReplaceAll(text, "${"+p.name+"}", staticLambdaArn(name))
			continue
		}
		vars[p.name] = jsvalue.Plain(translated)
	}
	if m.Settings.UseExactVersion {
		c.exactVersions(m, vars)
		return cfn.SubVars(text, vars)
	}
	if len(vars) == 0 {
		return cfn.Sub(text)
	}
	return cfn.SubVars(text, vars)
}

// extractIntrinsics replaces, depth first, every intrinsic object in n
// with its placeholder and records it, as the plugin's
// getIntrinsicFunctions does (array elements are never Wait seconds).
func extractIntrinsics(n *schema.Node, params *[]subParam) {
	switch n.Kind {
	case schema.List:
		for i, it := range n.Items {
			if it.IsIntrinsic() {
				n.Items[i] = placeholder(it, false, params)
			} else {
				extractIntrinsics(it, params)
			}
		}
	case schema.Map:
		isWait := n.Get("Type") != nil && n.Get("Type").Kind == schema.String && n.Get("Type").Value == "Wait"
		for _, p := range jsvalue.Pairs(n) {
			pair := n.Pair(p.Key)
			if pair.Value.IsIntrinsic() {
				pair.Value = placeholder(pair.Value, isWait && p.Key == "Seconds", params)
			} else {
				extractIntrinsics(pair.Value, params)
			}
		}
	}
}

func placeholder(v *schema.Node, wait bool, params *[]subParam) *schema.Node {
	name := jsvalue.MD5Hex(jsvalue.Stringify(v, ""))
	*params = append(*params, subParam{name: name, value: v, waitSeconds: wait})
	return schema.NewString("${"+name+"}", v.Pos)
}

// hasSubstitutions reports whether n holds an intrinsic function below
// its top or a #{AWS::...} pseudo parameter, which extractIntrinsics and
// replacePseudoParams rewrite.
func hasSubstitutions(n *schema.Node) bool {
	switch n.Kind {
	case schema.String:
		return hasPseudoParam(n.Value)
	case schema.List:
		for _, it := range n.Items {
			if it.IsIntrinsic() || hasSubstitutions(it) {
				return true
			}
		}
	case schema.Map:
		for _, p := range n.Pairs {
			if hasPseudoParam(p.Key) || p.Value.IsIntrinsic() || hasSubstitutions(p.Value) {
				return true
			}
		}
	}
	return false
}

func hasPseudoParam(s string) bool {
	return strings.Contains(s, "#{") && pseudoParam.MatchString(s)
}

// replacePseudoParams turns #{AWS::Region} into ${AWS::Region} in every
// key and string of n, and reports whether it found any.
func replacePseudoParams(n *schema.Node) bool {
	found := false
	switch n.Kind {
	case schema.String:
		if pseudoParam.MatchString(n.Value) {
			n.Value = pseudoParam.ReplaceAllString(n.Value, "$${$1}")
			found = true
		}
	case schema.List:
		for _, it := range n.Items {
			found = replacePseudoParams(it) || found
		}
	case schema.Map:
		for i := range n.Pairs {
			p := &n.Pairs[i]
			if pseudoParam.MatchString(p.Key) {
				p.Key = pseudoParam.ReplaceAllString(p.Key, "$${$1}")
				found = true
			}
			found = replacePseudoParams(p.Value) || found
		}
	}
	return found
}

// dollarBrace is ${...} text in a definition, which Fn::Sub resolves;
// ${AWS::...} pseudo parameters are left to it.
var dollarBrace = lazyre.New(`\$\{([^}]*)\}`)

func isSubReference(inner string) bool { return !strings.HasPrefix(inner, "AWS::") }

// escapeSubReferences writes every ${Name} in n's strings and keys as
// ${!Name}, which Fn::Sub turns back into the literal ${Name}.
func escapeSubReferences(n *schema.Node) {
	escape := func(s string) string {
		return dollarBrace.ReplaceAllStringFunc(s, func(m string) string {
			if !isSubReference(m[2 : len(m)-1]) {
				return m
			}
			return "${!" + m[2:]
		})
	}
	switch n.Kind {
	case schema.String:
		n.Value = escape(n.Value)
	case schema.List:
		for _, it := range n.Items {
			escapeSubReferences(it)
		}
	case schema.Map:
		if n.IsIntrinsic() {
			return // its value is a Fn::Sub variable, not template text
		}
		for i := range n.Pairs {
			n.Pairs[i].Key = escape(n.Pairs[i].Key)
			escapeSubReferences(n.Pairs[i].Value)
		}
	}
}

// warnSubReferences warns, in plugin mode, at each ${Name} that the
// plugin's Fn::Sub will read as a reference.
func (c *emitter) warnSubReferences(n *schema.Node) {
	warn := func(s string, pos diag.Pos) {
		for _, m := range dollarBrace.FindAllStringSubmatch(s, -1) {
			if isSubReference(m[1]) && !strings.HasPrefix(m[1], "!") {
				c.Diags.Warnf(pos, fmt.Sprintf("Fn::Sub reads %s as a reference", m[0]),
					"The plugin puts this definition into a Fn::Sub (it has intrinsics or #{...}), and CloudFormation fails unless %s names a parameter or resource. Write ${!%s} for the literal text; the default mode does that for you.", m[1], m[1])
			}
		}
	}
	switch n.Kind {
	case schema.String:
		warn(n.Value, n.Pos)
	case schema.List:
		for _, it := range n.Items {
			c.warnSubReferences(it)
		}
	case schema.Map:
		if n.IsIntrinsic() {
			return
		}
		for _, p := range n.Pairs {
			warn(p.Key, p.KeyPos)
			c.warnSubReferences(p.Value)
		}
	}
}

// injectQueryLanguage reproduces what the plugin's validator (asl-validator)
// does to a definition as a side effect: every entry of every object named
// States, at any depth, gets QueryLanguage (the definition's, or JSONPath)
// unless it has a truthy one.
func injectQueryLanguage(def *schema.Node) {
	lang := "JSONPath"
	if ql := def.Get("QueryLanguage"); ql != nil && ql.Kind != schema.Null {
		lang = jsvalue.String(ql)
	}
	var walk func(n *schema.Node)
	walk = func(n *schema.Node) {
		switch n.Kind {
		case schema.List:
			for _, it := range n.Items {
				walk(it)
			}
		case schema.Map:
			for _, p := range n.Pairs {
				walk(p.Value)
			}
			if states := n.Get("States"); states != nil && states.Kind == schema.Map {
				for _, sp := range states.Pairs {
					if st := sp.Value; st.Kind == schema.Map && !st.Get("QueryLanguage").Truthy() {
						st.Set("QueryLanguage", schema.NewString(lang, st.Pos))
					}
				}
			}
		}
	}
	walk(def)
}

// configureTaskTimeouts appends TimeoutSeconds to every Lambda Task state
// without one: the function's timeout, else provider.timeout, else 6.
func (c *emitter) configureTaskTimeouts(def *schema.Node) {
	fallback := 6.0
	if t := c.Service.Provider.Timeout; t != nil {
		fallback = *t
	}
	forEachTask(def.Get("States"), func(st *schema.Node) {
		var ref *schema.Node
		if r := st.Get("Resource"); r != nil && r.Kind == schema.String && strings.HasPrefix(r.Value, "arn:aws:states:::lambda:invoke") {
			ref = st.Get("Parameters").Get("FunctionName")
		} else {
			ref = r
		}
		f := c.functionOf(ref)
		if f == nil || st.Get("TimeoutSeconds") != nil || st.Get("TimeoutSecondsPath") != nil {
			return
		}
		timeout := fallback
		if f.Timeout != nil {
			timeout = *f.Timeout
		}
		st.Set("TimeoutSeconds", schema.NewNumber(timeout, st.Pos))
	})
}

// functionOf returns the local function a {Ref} or {Fn::GetAtt} names by
// key or logical ID, or nil.
func (c *emitter) functionOf(ref *schema.Node) *schema.Function {
	if ref == nil || ref.Kind != schema.Map {
		return nil
	}
	var id *schema.Node
	if r := ref.Get("Ref"); r != nil {
		id = r
	} else if ga := ref.Get("Fn::GetAtt"); ga != nil && ga.Kind == schema.List && len(ga.Items) > 0 {
		id = ga.Items[0]
	}
	if id == nil || id.Kind != schema.String {
		return nil
	}
	if f := c.Service.Function(id.Value); f != nil {
		return f
	}
	return c.Service.FunctionByLogicalID(id.Value)
}

// forEachTask calls fn for every Task state, recursing into Parallel
// branches and Map processors (ItemProcessor, else Iterator).
func forEachTask(states *schema.Node, fn func(*schema.Node)) {
	if states == nil || states.Kind != schema.Map {
		return
	}
	for _, p := range jsvalue.Pairs(states) {
		st := p.Value
		if st.Kind != schema.Map {
			continue
		}
		switch typ := st.Get("Type"); {
		case typ == nil || typ.Kind != schema.String:
		case typ.Value == "Task":
			fn(st)
		case typ.Value == "Parallel":
			if br := st.Get("Branches"); br != nil && br.Kind == schema.List {
				for _, b := range br.Items {
					forEachTask(b.Get("States"), fn)
				}
			}
		case typ.Value == "Map":
			if ip := st.Get("ItemProcessor"); ip != nil {
				forEachTask(ip.Get("States"), fn)
			} else if it := st.Get("Iterator"); it != nil {
				forEachTask(it.Get("States"), fn)
			}
		}
	}
}

// exactVersions points each Fn::Sub variable that names a Lambda function
// at that function's version in the base template, as useExactVersion does.
func (c *emitter) exactVersions(m *schema.StateMachine, vars map[string]any) {
	res, _ := c.Base["Resources"].(map[string]any)
	if res == nil {
		if len(vars) > 0 {
			c.Diags.Warnf(m.Node.Pair("useExactVersion").KeyPos, "useExactVersion needs --base",
				"The Lambda version resources come from the framework's template. Pass it with --base .serverless/cloudformation-template-update-stack.json; until then the definition uses unversioned ARNs.")
		}
		return
	}
	for name, v := range vars {
		fnID := ""
		if mv, ok := v.(map[string]any); ok {
			if r, ok := mv["Ref"].(string); ok {
				fnID = r
			} else if ga, ok := mv["Fn::GetAtt"].([]any); ok && len(ga) > 0 {
				fnID, _ = ga[0].(string)
			}
		}
		if !jsvalue.IsType(res[fnID], "AWS::Lambda::Function") {
			continue
		}
		versionID := firstVersionOf(res, fnID)
		if versionID == "" {
			continue
		}
		vars[name] = cfn.Ref(versionID)
		fn, _ := res[fnID].(map[string]any)
		layers := layersOf(fn)
		if len(layers) == 0 {
			continue
		}
		layerID := versionID + "L" + jsvalue.MD5Hex(strings.Join(layers, ","))[:8]
		if _, exists := res[layerID]; !exists {
			c.layerVersions = append(c.layerVersions, LayerVersion{ID: layerID, Body: cfn.Clone(res[versionID]).(map[string]any)})
		}
		vars[name] = cfn.Ref(layerID)
	}
}

// staticLambdaArn is the ARN the plugin writes for a local function so
// that nothing depends on the function resource.
func staticLambdaArn(name string) string {
	return fmt.Sprintf("arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:%s", name)
}
