package schema

import (
	"fmt"
	"sort"
	"strings"

	"github.com/stepform/stepform/internal/lazyre"
	"github.com/stepform/stepform/schema/diag"
)

// stateMachineKeys are the keys the plugin's schema allows on a state
// machine (and stepform's own): StateMachineSpec's, written out so that
// decoding need not build the spec tables (TestKeyListsAreTheSpecTables).
var stateMachineKeys = []string{"id", "events", "name", "role", "useExactVersion", "configureTaskTimeouts", "definition", "dependsOn", "tags", "alarms", "notifications", "type", "retain", "loggingConfig", "tracingConfig", "encryptionConfig", "inheritGlobalTags", "iamRoleStatements", "kmsKeyArns"}

// stepFunctionsKeys are StepFunctionsSpec's keys.
var stepFunctionsKeys = []string{"stateMachines", "validate", "noOutput", "activities"}

// Decode turns a resolved configuration into a Service. stage and region
// are the values given on the command line ("" when not given).
func Decode(root *Node, stage, region string) (*Service, diag.List) {
	d := &decoder{}
	s := &Service{Root: root}
	if root == nil || root.Kind != Map {
		pos := diag.Pos{}
		if root != nil {
			pos = root.Pos
		}
		d.diags.Errorf(pos, "configuration is not a mapping", "A serverless.yml starts with keys such as service, provider and stepFunctions.")
		return s, d.diags
	}
	d.checkTopLevelKeys(root)
	d.mergeFragmentLists(root)
	if n := root.Get("service"); n == nil || n.Kind != String || n.Value == "" {
		pos := root.Pos
		if n != nil {
			pos = n.Pos
		}
		d.diags.Errorf(pos, "missing service name", "Add a line such as \"service: my-service\" at the top of the file.")
	} else {
		s.Name = n.Value
	}
	if n := root.Get("service"); n != nil {
		s.NamePos = n.Pos
	}

	provider := root.Get("provider")
	s.Stage = firstNonEmpty(stage, d.optString(provider.Get("stage"), "provider.stage"), "dev")
	s.Region = firstNonEmpty(region, d.optString(provider.Get("region"), "provider.region"), "us-east-1")
	d.provider(provider, &s.Provider)
	d.serviceSettings(root, s)
	s.Functions = d.functions(root.Get("functions"), s)
	s.Resources = root.Get("resources")
	if s.Resources != nil && s.Resources.Kind != Map && s.Resources.Kind != Null {
		d.wrongType(s.Resources, "resources", "an object")
	}
	if sf := root.Pair("stepFunctions"); sf != nil {
		s.StepFunctions = d.stepFunctions(sf)
		if sm := sf.Value.Get("stateMachines"); sm != nil && len(s.StepFunctions.StateMachines) == 0 && (sm.Kind == Null || sm.Kind == Map && len(sm.Pairs) == 0) {
			d.diags.Warnf(sm.Pos, "no state machines", "stepFunctions.stateMachines is empty, so the template holds no state machine. Add one, or remove the block.")
		}
	} else {
		hint := ""
		if s := diag.Suggest("stepFunctions", unknownTopLevelKeys(root)); s != "" {
			hint = fmt.Sprintf(" Is %q meant to be stepFunctions?", s)
		}
		d.diags.Warnf(root.Pos, "no stepFunctions block", "The configuration has no stepFunctions: key, so the template holds no state machine.%s", hint)
	}
	return s, d.diags
}

type decoder struct {
	diags diag.List
	// root is the whole configuration (set before functions decode).
	root *Node
	// packagingSettings are the decoded package blocks (set before
	// functions decode), which functions point into.
	packagingSettings *Packaging
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// describe names a value's type the way the diagnostics say it.
func describeValue(n *Node) string {
	if n == nil {
		return "nothing"
	}
	switch n.Kind {
	case Map:
		if n.IsIntrinsic() {
			return "an intrinsic function"
		}
		return "an object"
	case List:
		return "a list"
	case Null:
		return "null"
	}
	return fmt.Sprintf("a %s (%s)", n.Kind, quoteShort(n.Value))
}

func quoteShort(s string) string {
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return fmt.Sprintf("%q", s)
}

func (d *decoder) wrongType(n *Node, what, want string) {
	d.diags.Errorf(n.Pos, fmt.Sprintf("%s must be %s", what, want), "Got %s. Change the value to %s.", describeValue(n), want)
}

func (d *decoder) optString(n *Node, what string) string {
	if n == nil || n.Kind == Null {
		return ""
	}
	if n.Kind == Number || n.Kind == Bool {
		return n.Value
	}
	if n.Kind != String {
		d.wrongType(n, what, "a string")
		return ""
	}
	return n.Value
}

func (d *decoder) optBool(n *Node, what string) bool {
	if n == nil || n.Kind == Null {
		return false
	}
	if n.Kind != Bool {
		d.wrongType(n, what, "a boolean (true or false)")
		return false
	}
	return n.Value == "true"
}

func (d *decoder) provider(p *Node, out *Provider) {
	d.providerSettings(p, out)
	out.APIGateway = apiGatewaySettings(p)
	if p == nil {
		return
	}
	if p.Kind != Map {
		d.wrongType(p, "provider", "an object")
		return
	}
	if t := p.Get("tags"); t != nil && t.Kind != Null {
		if t.Kind != Map {
			d.wrongType(t, "provider.tags", "an object")
		} else {
			out.Tags = t
		}
	}
	if t := p.Get("timeout"); t != nil && t.Kind == Number {
		v := t.Num
		out.Timeout = &v
	}
	if b := p.Get("rolePermissionsBoundary"); b.Truthy() {
		out.RolePermissionsBoundary = b
	}
	if path := p.Path("iam.role.path"); path.Truthy() {
		out.RolePath = path
	}
}

func (d *decoder) functions(fns *Node, s *Service) []*Function {
	if fns == nil || fns.Kind == Null {
		return nil
	}
	if fns.Kind != Map {
		d.wrongType(fns, "functions", "an object")
		return nil
	}
	var out []*Function
	for _, p := range fns.Pairs {
		f := &Function{Key: p.Key, Pos: p.KeyPos, Name: fmt.Sprintf("%s-%s-%s", s.Name, s.Stage, p.Key)}
		v := p.Value
		if v.Kind == Map {
			if n := v.Get("name"); n != nil && n.Kind == String && n.Value != "" {
				f.Name = n.Value
			}
			if t := v.Get("timeout"); t != nil && t.Kind == Number {
				tv := t.Num
				f.Timeout = &tv
			}
			if l := v.Get("layers"); l != nil && l.Kind == List {
				f.Layers = l
			}
			d.functionSettings(f, v)
		} else if v.Kind != Null {
			d.wrongType(v, "functions."+p.Key, "an object")
		}
		out = append(out, f)
	}
	return out
}

func (d *decoder) stepFunctions(p *Pair) *StepFunctions {
	sf := &StepFunctions{}
	n := p.Value
	if n.Kind == Null {
		d.diags.Errorf(n.Pos, "stepFunctions is empty", "Add a stateMachines: block under stepFunctions, or remove the key.")
		return sf
	}
	if n.Kind != Map {
		d.wrongType(n, "stepFunctions", "an object")
		return sf
	}
	for _, kp := range n.Pairs {
		if !contains(stepFunctionsKeys, kp.Key) {
			d.diags.Warnf(kp.KeyPos, fmt.Sprintf("unknown key %q in stepFunctions", kp.Key),
				"The plugin ignores it, and so does stepform.%s Allowed keys: %s.",
				diag.DidYouMean(kp.Key, stepFunctionsKeys), strings.Join(stepFunctionsKeys, ", "))
		}
	}
	sf.Validate = d.optBool(n.Get("validate"), "stepFunctions.validate")
	sf.NoOutput = d.optBool(n.Get("noOutput"), "stepFunctions.noOutput")
	if a := n.Get("activities"); a != nil && a.Kind != Null {
		items := []*Node{a} // the framework coerces a single value into a list
		if a.Kind == List {
			items = a.Items
		}
		for _, it := range items {
			if it.Kind != String || it.Value == "" {
				d.wrongType(it, "an activity", "a non-empty string (the activity name)")
				continue
			}
			sf.Activities = append(sf.Activities, Activity{Name: it.Value, Pos: it.Pos})
		}
	}
	sm := n.Pair("stateMachines")
	if sm == nil {
		d.diags.Errorf(p.KeyPos, "stepFunctions has no stateMachines", "Add a stateMachines: block that maps names to state machines.")
		return sf
	}
	switch sm.Value.Kind {
	case Null:
	case Map:
		for _, mp := range sm.Value.Pairs {
			if m := d.stateMachine(mp); m != nil {
				sf.StateMachines = append(sf.StateMachines, m)
			}
		}
	default:
		d.wrongType(sm.Value, "stepFunctions.stateMachines", "an object that maps names to state machines")
	}
	return sf
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var arnPrefix = lazyre.New(`^arn:aws`)

func (d *decoder) stateMachine(p Pair) *StateMachine {
	m := &StateMachine{Key: p.Key, KeyPos: p.KeyPos, Node: p.Value}
	n := p.Value
	if n.Kind != Map {
		d.wrongType(n, fmt.Sprintf("state machine %q", p.Key), "an object with at least a definition")
		return nil
	}
	for _, kp := range n.Pairs {
		if !contains(stateMachineKeys, kp.Key) {
			sorted := append([]string(nil), stateMachineKeys...)
			sort.Strings(sorted)
			d.diags.Errorf(kp.KeyPos, fmt.Sprintf("unknown key %q in state machine %q", kp.Key, p.Key),
				"The plugin rejects unknown keys.%s Allowed keys: %s.", diag.DidYouMean(kp.Key, stateMachineKeys), strings.Join(sorted, ", "))
		}
	}
	get := func(k string) *Node {
		v := n.Get(k)
		if v != nil && v.Kind == Null {
			return nil
		}
		return v
	}
	str := func(k string) *Node {
		v := get(k)
		if v != nil && v.Kind != String {
			d.wrongType(v, k, "a string")
			return nil
		}
		return v
	}
	boolean := func(k string) *Node {
		v := get(k)
		if v != nil && v.Kind != Bool {
			d.wrongType(v, k, "a boolean (true or false)")
			return nil
		}
		return v
	}
	object := func(k string) *Node {
		v := get(k)
		if v != nil && v.Kind != Map {
			d.wrongType(v, k, "an object")
			return nil
		}
		return v
	}
	list := func(k string) *Node {
		v := get(k)
		if v != nil && v.Kind != List {
			d.wrongType(v, k, "a list")
			return nil
		}
		return v
	}

	var raw machineNodes
	raw.id, raw.name = str("id"), str("name")
	if t := str("type"); t != nil {
		if t.Value != "STANDARD" && t.Value != "EXPRESS" {
			d.diags.Errorf(t.Pos, fmt.Sprintf("unknown state machine type %q", t.Value),
				"type is STANDARD or EXPRESS.%s", diag.DidYouMean(t.Value, []string{"STANDARD", "EXPRESS"}))
		} else {
			raw.typ = t
		}
	}
	m.Definition = get("definition")
	if m.Definition == nil {
		pos := p.KeyPos
		if dp := n.Pair("definition"); dp != nil {
			pos = dp.KeyPos
		}
		d.diags.Errorf(pos, fmt.Sprintf("state machine %q has no definition", p.Key),
			"Add a definition: with StartAt and States (or a JSON string).")
	} else if m.Definition.Kind != Map && m.Definition.Kind != String {
		d.wrongType(m.Definition, "definition", "an object (StartAt, States) or a JSON string")
		m.Definition = nil
	}
	if r := get("role"); r != nil {
		if d.arn(r, "role") {
			raw.role = r
		}
	}
	if s := list("iamRoleStatements"); s != nil {
		d.iamStatements(s)
		m.IAMRoleStatements = s
	}
	if raw.role != nil && n.Get("iamRoleStatements") != nil {
		d.diags.Errorf(n.Pair("iamRoleStatements").KeyPos, "role and iamRoleStatements together",
			"iamRoleStatements add to the role stepform generates; with your own role, put the statements in that role and remove iamRoleStatements.")
	}
	if dep := get("dependsOn"); dep != nil {
		ok := dep.Kind == String
		if dep.Kind == List {
			ok = true
			for _, it := range dep.Items {
				if it.Kind != String {
					d.wrongType(it, "dependsOn entry", "a string (a logical ID)")
				}
			}
		}
		if !ok {
			d.wrongType(dep, "dependsOn", "a logical ID or a list of them")
		} else {
			raw.dependsOn = dep
		}
	}
	if r := boolean("retain"); r != nil {
		raw.retain = r.Value == "true"
	}
	raw.tags = object("tags")
	raw.inheritGlobalTags = boolean("inheritGlobalTags")
	if lc := object("loggingConfig"); lc != nil {
		d.closedObject(lc, "loggingConfig", LoggingConfigSpec(), map[string]func(*Node){
			"level": func(v *Node) {
				if v.Kind != String || !contains(LoggingLevels, v.Value) {
					d.diags.Errorf(v.Pos, "loggingConfig.level must be ALL, ERROR, FATAL or OFF",
						"Got %s.%s", describeValue(v), diag.DidYouMean(v.Value, LoggingLevels))
				}
			},
			"includeExecutionData": func(v *Node) { d.optBool(v, "loggingConfig.includeExecutionData") },
			"destinations":         func(v *Node) { d.arnList(v, "loggingConfig.destinations") },
			"retentionInDays":      func(v *Node) { d.retentionInDays(v) },
		})
		raw.logging = lc
	}
	if tc := object("tracingConfig"); tc != nil {
		d.closedObject(tc, "tracingConfig", TracingConfigSpec(), map[string]func(*Node){
			"enabled": func(v *Node) { d.optBool(v, "tracingConfig.enabled") },
		})
		raw.tracing = tc
	}
	if ec := object("encryptionConfig"); ec != nil {
		d.closedObject(ec, "encryptionConfig", EncryptionConfigSpec(), map[string]func(*Node){
			"KmsDataKeyReusePeriodSeconds": func(v *Node) {
				if v.Kind != Number {
					d.wrongType(v, "encryptionConfig.KmsDataKeyReusePeriodSeconds", "a number of seconds")
				}
			},
			"KmsKeyId": func(v *Node) { d.optString(v, "encryptionConfig.KmsKeyId") },
			"Type":     func(v *Node) { d.optString(v, "encryptionConfig.Type") },
		})
		raw.encryption = ec
	}
	if k := list("kmsKeyArns"); k != nil {
		d.arnList(k, "kmsKeyArns")
		raw.kmsKeyArns = k
	}
	if b := boolean("useExactVersion"); b != nil {
		raw.useExactVersion = b.Value == "true"
	}
	if b := boolean("configureTaskTimeouts"); b != nil {
		raw.configureTaskTimeouts = b.Value == "true"
	}
	// DecodeAlarms and DecodeNotifications read these blocks, in the
	// compiler's turn for them; here only their type is checked.
	object("alarms")
	object("notifications")
	m.Events = list("events")
	m.Settings = machineSettings(raw)
	return m
}

// closedObject checks that obj has only the keys of spec, and runs each
// key's check on its value.
func (d *decoder) closedObject(obj *Node, what string, spec *Spec, checks map[string]func(*Node)) {
	names := spec.KeyNames()
	sort.Strings(names)
	for _, p := range obj.Pairs {
		check, ok := checks[p.Key]
		if !contains(names, p.Key) {
			d.diags.Errorf(p.KeyPos, fmt.Sprintf("unknown key %q in %s", p.Key, what),
				"%s takes %s.%s", what, strings.Join(names, ", "), diag.DidYouMean(p.Key, names))
			continue
		}
		if ok && p.Value.Kind != Null {
			check(p.Value)
		}
	}
}

func (d *decoder) arnList(n *Node, what string) {
	if n.Kind != List {
		d.wrongType(n, what, "a list of ARNs")
		return
	}
	for _, it := range n.Items {
		d.arn(it, what+" entry")
	}
}

// arn applies the plugin's ARN schema: a string starting with "arn:aws",
// or one of Ref, Fn::GetAtt, Fn::ImportValue, Fn::Join (not Fn::Sub).
func (d *decoder) arn(n *Node, what string) bool {
	ok := false
	switch n.Kind {
	case String:
		ok = arnPrefix.MatchString(n.Value)
	case Map:
		if len(n.Pairs) == 1 {
			v := n.Pairs[0].Value
			switch n.Pairs[0].Key {
			case "Ref":
				ok = v.Kind == String
			case "Fn::GetAtt":
				ok = v.Kind == List && allStrings(v.Items)
			case "Fn::ImportValue":
				ok = v.Kind == String || v.Kind == Map
			case "Fn::Join":
				ok = v.Kind == List
				for _, it := range v.Items {
					if it.Kind == List {
						for _, el := range it.Items {
							if el.Kind != String && !(el.Kind == Map && len(el.Pairs) == 1 && el.Pairs[0].Key == "Ref") {
								ok = false
							}
						}
					} else if it.Kind != String {
						ok = false
					}
				}
			}
		}
	}
	if !ok {
		d.diags.Errorf(n.Pos, fmt.Sprintf("%s is not an ARN", what),
			"Use a string starting with \"arn:aws\", or Ref, Fn::GetAtt, Fn::ImportValue or Fn::Join (the plugin does not accept Fn::Sub here). Got %s.", describeValue(n))
	}
	return ok
}

func allStrings(items []*Node) bool {
	for _, it := range items {
		if it.Kind != String {
			return false
		}
	}
	return true
}

func (d *decoder) iamStatements(list *Node) {
	for _, st := range list.Items {
		if st.Kind != Map {
			d.wrongType(st, "an iamRoleStatements entry", "an object with Effect, Action and Resource")
			continue
		}
		d.closedObject(st, "an iamRoleStatements entry", IAMStatementSpec(), map[string]func(*Node){
			"Effect": func(v *Node) {
				if v.Kind != String || (v.Value != "Allow" && v.Value != "Deny") {
					d.diags.Errorf(v.Pos, "Effect must be Allow or Deny", "Got %s.", describeValue(v))
				}
			},
			"Action": func(v *Node) {
				if v.Kind != String && !(v.Kind == List && allStrings(v.Items)) {
					d.wrongType(v, "Action", "a string or a list of strings")
				}
			},
			"Resource": func(v *Node) {
				if v.Kind != String && v.Kind != List {
					d.wrongType(v, "Resource", "a string or a list")
				}
			},
		})
	}
}
