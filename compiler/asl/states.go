package asl

import (
	"fmt"
	"math"
	"strings"

	"github.com/stepform/stepform/internal/lazyre"
	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

var stateTypes = []string{"Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"}

// jsonPathFields and jsonataFields are the fields each state type allows
// in each query language (asl-validator's schemas, which follow the
// specification).
var jsonPathFields = map[string][]string{
	"Task": {"Type", "Comment", "QueryLanguage", "Next", "End", "Resource", "InputPath", "OutputPath", "ResultPath",
		"Parameters", "ResultSelector", "Credentials", "Retry", "Catch", "TimeoutSeconds", "TimeoutSecondsPath",
		"HeartbeatSeconds", "HeartbeatSecondsPath", "Assign"},
	"Pass":    {"Type", "Comment", "QueryLanguage", "Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "Result", "Assign"},
	"Choice":  {"Type", "Comment", "QueryLanguage", "Choices", "Default", "InputPath", "OutputPath", "Assign", "End"},
	"Wait":    {"Type", "Comment", "QueryLanguage", "Next", "End", "Seconds", "SecondsPath", "Timestamp", "TimestampPath", "InputPath", "OutputPath", "Assign"},
	"Succeed": {"Type", "Comment", "QueryLanguage", "InputPath", "OutputPath"},
	"Fail":    {"Type", "Comment", "QueryLanguage", "Error", "ErrorPath", "Cause", "CausePath"},
	"Parallel": {"Type", "Comment", "QueryLanguage", "Next", "End", "Branches", "InputPath", "OutputPath", "ResultPath",
		"Parameters", "ResultSelector", "Retry", "Catch", "Assign"},
	"Map": {"Type", "Comment", "QueryLanguage", "Next", "End", "ItemProcessor", "Iterator", "ItemsPath", "ItemReader",
		"ItemSelector", "Parameters", "ItemBatcher", "ResultWriter", "MaxConcurrency", "MaxConcurrencyPath",
		"ToleratedFailureCount", "ToleratedFailureCountPath", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath",
		"Label", "InputPath", "OutputPath", "ResultPath", "ResultSelector", "Retry", "Catch", "Assign"},
}

var jsonataFields = map[string][]string{
	"Task": {"Type", "Comment", "QueryLanguage", "Next", "End", "Resource", "Arguments", "Output", "Assign", "Credentials",
		"Retry", "Catch", "TimeoutSeconds", "HeartbeatSeconds"},
	"Pass":     {"Type", "Comment", "QueryLanguage", "Next", "End", "Result", "Output", "Assign"},
	"Choice":   {"Type", "Comment", "QueryLanguage", "Choices", "Default", "Output", "Assign", "End"},
	"Wait":     {"Type", "Comment", "QueryLanguage", "Next", "End", "Seconds", "Timestamp", "Output", "Assign"},
	"Succeed":  {"Type", "Comment", "QueryLanguage", "Output"},
	"Fail":     {"Type", "Comment", "QueryLanguage", "Error", "Cause"},
	"Parallel": {"Type", "Comment", "QueryLanguage", "Next", "End", "Branches", "Arguments", "Output", "Assign", "Retry", "Catch"},
	"Map": {"Type", "Comment", "QueryLanguage", "Next", "End", "ItemProcessor", "Iterator", "Items", "ItemReader",
		"ItemSelector", "ItemBatcher", "ResultWriter", "MaxConcurrency", "ToleratedFailureCount", "ToleratedFailurePercentage",
		"Label", "Output", "Assign", "Retry", "Catch"},
}

// refPathFields are the fields whose value is a Reference Path.
var refPathFields = []string{"TimeoutSecondsPath", "HeartbeatSecondsPath", "SecondsPath", "TimestampPath", "ItemsPath",
	"MaxConcurrencyPath", "ToleratedFailureCountPath", "ToleratedFailurePercentagePath"}

// state checks one state.
func (v *validator) state(s *scope, name string, st *schema.Node) {
	keyPos := s.keyPos(name)
	if len([]rune(name)) > 80 || name == "" || strings.ContainsAny(name, "\n\r") {
		v.report(both, keyPos, "invalid state name", "State names are 1 to 80 characters on one line; %q has %d.", shorten(name), len([]rune(name)))
	}
	if st.Kind != schema.Map {
		v.report(both, st.Pos, fmt.Sprintf("state %q must be an object", name), "Got %s. A state is an object with at least a Type.", kindOf(st))
		return
	}
	typNode := st.Get("Type")
	if typNode == nil {
		v.report(both, keyPos, fmt.Sprintf("state %q has no Type", name), "Add Type: one of %s.", strings.Join(stateTypes, ", "))
		return
	}
	typ := stringValue(typNode)
	if !contains(stateTypes, typ) {
		v.report(both, typNode.Pos, fmt.Sprintf("unknown state type %q", typ), "Type is one of %s.%s", strings.Join(stateTypes, ", "), diag.DidYouMean(typ, stateTypes))
		return
	}
	lang := v.defaultLang
	if ql := st.Get("QueryLanguage"); ql != nil {
		v.queryLanguage(ql)
		if ql.Kind == schema.String && ql.Value != "" {
			lang = ql.Value
		}
	}
	jsonata := lang == "JSONata"
	allowed, other := jsonPathFields[typ], jsonataFields[typ]
	if jsonata {
		allowed, other = other, allowed
	}
	for _, p := range st.Pairs {
		if contains(allowed, p.Key) {
			continue
		}
		if contains(other, p.Key) {
			v.report(both, p.KeyPos, fmt.Sprintf("%s is not allowed in a %s %s state", p.Key, lang, typ),
				"%s belongs to the other query language. Use %s, or set QueryLanguage on this state.", p.Key, swapHint(p.Key, jsonata))
			continue
		}
		v.report(both, p.KeyPos, fmt.Sprintf("unknown field %q in %s state", p.Key, typ),
			"%s states (%s) allow %s.%s", typ, lang, strings.Join(allowed, ", "), diag.DidYouMean(p.Key, allowed))
	}
	for _, p := range st.Pairs {
		if contains(allowed, p.Key) {
			v.field(s, name, typ, jsonata, st, p)
		}
	}
	switch {
	case typ == "Task" && st.Get("Resource") == nil:
		v.report(crash, st.Pos, "Task state without a Resource",
			"Every Task state needs a Resource: a Lambda ARN, an integration ARN such as arn:aws:states:::lambda:invoke, or an intrinsic function.")
	case typ == "Choice" && st.Get("Choices") == nil:
		v.report(both, keyPos, fmt.Sprintf("Choice state %q has no Choices", name), "Add Choices: a list of rules, each with a comparison and Next.")
	case typ == "Parallel" && st.Get("Branches") == nil:
		v.report(both, keyPos, fmt.Sprintf("Parallel state %q has no Branches", name), "Add Branches: a list of {StartAt, States}.")
	}
	// Transitions.
	switch typ {
	case "Succeed", "Fail":
	case "Choice":
		if e := st.Pair("End"); e != nil {
			v.report(aws, e.KeyPos, "a Choice state cannot end the execution", "Remove End; a Choice state always goes to one of its Choices or its Default.")
		}
	default:
		next, end := st.Pair("Next"), st.Pair("End")
		switch {
		case next == nil && end == nil:
			v.report(both, keyPos, fmt.Sprintf("state %q has neither Next nor End", name), "Add Next: <state> or End: true.")
		case next != nil && end != nil:
			v.report(both, end.KeyPos, fmt.Sprintf("state %q has both Next and End", name), "A state either goes to Next or ends the execution; remove one.")
		}
	}
	if n := st.Get("Next"); n != nil && n.Kind == schema.String {
		s.edges[name] = append(s.edges[name], n.Value)
	}
	v.exclusive(name, st, typ)
}

func swapHint(field string, jsonata bool) string {
	hints := map[string]string{"Arguments": "Parameters", "Output": "OutputPath or ResultSelector", "Items": "ItemsPath",
		"Parameters": "Arguments", "ResultSelector": "Output", "InputPath": "Arguments", "OutputPath": "Output",
		"ResultPath": "Output", "ItemsPath": "Items"}
	if h, ok := hints[field]; ok {
		return h
	}
	if jsonata {
		return "a JSONata expression in a non-Path field"
	}
	return "the JSONPath form of this field"
}

// exclusive checks the at-most-one and exactly-one rules between fields.
func (v *validator) exclusive(name string, st *schema.Node, typ string) {
	atMostOne := func(n *schema.Node, a, b string) {
		if n == nil || n.Kind != schema.Map {
			return
		}
		if pa, pb := n.Pair(a), n.Pair(b); pa != nil && pb != nil {
			v.report(both, pb.KeyPos, fmt.Sprintf("%s and %s are exclusive", a, b), "State %q may have one of %s and %s; remove one.", name, a, b)
		}
	}
	switch typ {
	case "Task":
		atMostOne(st, "TimeoutSeconds", "TimeoutSecondsPath")
		atMostOne(st, "HeartbeatSeconds", "HeartbeatSecondsPath")
		t, h := st.Get("TimeoutSeconds"), st.Get("HeartbeatSeconds")
		if t != nil && h != nil && t.Kind == schema.Number && h.Kind == schema.Number && h.Num >= t.Num {
			v.report(aws, h.Pos, "HeartbeatSeconds must be less than TimeoutSeconds", "State %q has HeartbeatSeconds %s and TimeoutSeconds %s.", name, h.Value, t.Value)
		}
	case "Wait":
		var present []string
		for _, f := range []string{"Seconds", "SecondsPath", "Timestamp", "TimestampPath"} {
			if st.Pair(f) != nil {
				present = append(present, f)
			}
		}
		if len(present) != 1 {
			v.report(both, st.Pos, fmt.Sprintf("Wait state %q needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath", name),
				"It has %d of them%s. Keep exactly one.", len(present), listed(present))
		}
	case "Map":
		ip, it := st.Pair("ItemProcessor"), st.Pair("Iterator")
		switch {
		case ip == nil && it == nil:
			v.report(crash, st.Pos, "Map state without ItemProcessor",
				"A Map state needs an ItemProcessor (or the older Iterator) with StartAt and States.")
		case ip != nil && it != nil:
			v.report(both, it.KeyPos, "ItemProcessor and Iterator are exclusive", "State %q may have one of them; Iterator is the older name of ItemProcessor.", name)
		}
		atMostOne(st, "ItemSelector", "Parameters")
		atMostOne(st, "ToleratedFailureCount", "ToleratedFailureCountPath")
		atMostOne(st, "ToleratedFailurePercentage", "ToleratedFailurePercentagePath")
		atMostOne(st, "MaxConcurrency", "MaxConcurrencyPath")
		atMostOne(st, "Items", "ItemsPath")
		if r := st.Get("ItemReader"); r != nil {
			atMostOne(r.Get("ReaderConfig"), "MaxItems", "MaxItemsPath")
		}
		atMostOne(st.Get("ItemBatcher"), "MaxItemsPerBatch", "MaxItemsPerBatchPath")
		atMostOne(st.Get("ItemBatcher"), "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath")
	case "Fail":
		atMostOne(st, "Cause", "CausePath")
		atMostOne(st, "Error", "ErrorPath")
	}
}

func listed(fields []string) string {
	if len(fields) == 0 {
		return ""
	}
	return ": " + strings.Join(fields, ", ")
}

// field checks the value of one allowed field of a state.
func (v *validator) field(s *scope, name, typ string, jsonata bool, st *schema.Node, p schema.Pair) {
	n := p.Value
	switch p.Key {
	case "Type", "QueryLanguage":
	case "Comment", "Label":
		v.wantString(both, n, p.Key)
	case "Next":
		if v.wantString(both, n, "Next") {
			v.target(s, n, "Next", both)
		}
	case "Default":
		if v.wantString(both, n, "Default") {
			v.target(s, n, "Default", both)
			s.edges[name] = append(s.edges[name], n.Value)
		}
	case "End":
		if n.Kind != schema.Bool || n.Value != "true" {
			v.report(lint, n.Pos, "End must be true", "Got %s. Remove End and use Next instead.", kindOf(n))
		}
	case "Resource":
		v.resource(n)
	case "InputPath", "OutputPath":
		v.pathField(n, p.Key, pathKind)
	case "ResultPath":
		v.pathField(n, p.Key, resultPathKind)
	case "Parameters", "ResultSelector", "Credentials", "ItemSelector", "Assign":
		if jsonata {
			if p.Key == "Credentials" {
				return
			}
			if p.Key == "Assign" {
				v.jsonataObject(n, p.Key)
			} else {
				v.jsonataTemplate(n, p.Key)
			}
			return
		}
		v.payloadTemplate(n, p.Key, true)
	case "Arguments", "Output":
		v.jsonataOutput(n, p.Key)
	case "Result":
	case "Retry":
		v.retry(n)
	case "Catch":
		v.catch(s, name, n, jsonata)
	case "TimeoutSeconds", "HeartbeatSeconds":
		if jsonata && isJSONataString(n) {
			v.jsonataString(n, p.Key)
			return
		}
		v.integer(both, n, p.Key, 1, 99999999)
	case "Seconds":
		if jsonata && isJSONataString(n) {
			v.jsonataString(n, p.Key)
			return
		}
		if v.number(both, n, "Seconds", 0, -1) && (n.Num != math.Trunc(n.Num) || n.Num > 99999999) {
			v.report(aws, n.Pos, "Seconds must be a whole number of seconds up to 99999999", "Got %s.", n.Value)
		}
	case "Timestamp":
		if jsonata && isJSONataString(n) {
			v.jsonataString(n, p.Key)
			return
		}
		if v.wantString(both, n, "Timestamp") && !isDateTime(n.Value) {
			v.report(both, n.Pos, "Timestamp is not an RFC 3339 date-time", "Got %q; write it like 2024-01-31T12:00:00Z.", n.Value)
		}
	case "Error", "Cause":
		if jsonata {
			v.maybeJSONata(n, p.Key, true)
			return
		}
		v.wantString(both, n, p.Key)
	case "ErrorPath", "CausePath":
		if v.wantString(both, n, p.Key) {
			if msg, _ := checkPath(n.Value, payloadKind); msg != "" {
				v.report(aws, n.Pos, fmt.Sprintf("invalid %s", p.Key), "%s", msg)
			}
		}
	case "Choices":
		v.choices(s, name, n, jsonata)
	case "Branches":
		if n.Kind != schema.List {
			v.report(both, n.Pos, "Branches must be a list", "Got %s. Write each branch as {StartAt, States}.", kindOf(n))
			return
		}
		if len(n.Items) == 0 {
			v.report(aws, n.Pos, "Branches is empty", "A Parallel state needs at least one branch.")
		}
		for i, b := range n.Items {
			v.machine(b, s, branchScope, fmt.Sprintf("branch %d of %q", i+1, name))
		}
	case "ItemProcessor":
		v.machine(n, s, processorScope, fmt.Sprintf("ItemProcessor of %q", name))
	case "Iterator":
		v.machine(n, s, iteratorScope, fmt.Sprintf("Iterator of %q", name))
	case "Items":
		if n.Kind != schema.List && !(n.Kind == schema.String && isJSONataString(n)) {
			v.report(both, n.Pos, "Items must be a list or a JSONata expression", "Got %s.", kindOf(n))
		} else if n.Kind == schema.String {
			v.jsonataString(n, "Items")
		}
	case "MaxConcurrency":
		if jsonata && isJSONataString(n) {
			v.jsonataString(n, p.Key)
			return
		}
		if v.number(both, n, p.Key, 0, -1) && n.Num != math.Trunc(n.Num) {
			v.report(aws, n.Pos, "MaxConcurrency must be a whole number", "Got %s.", n.Value)
		}
	case "ToleratedFailureCount":
		if jsonata && isJSONataString(n) {
			v.jsonataString(n, p.Key)
			return
		}
		v.integer(both, n, p.Key, 0, -1)
	case "ToleratedFailurePercentage":
		if jsonata && isJSONataString(n) {
			v.jsonataString(n, p.Key)
			return
		}
		if v.number(both, n, p.Key, 0, 100) && n.Num != math.Trunc(n.Num) {
			v.report(lint, n.Pos, "ToleratedFailurePercentage must be a whole number", "Got %s.", n.Value)
		}
	case "ItemReader":
		v.itemReader(n, jsonata)
	case "ItemBatcher":
		v.itemBatcher(n, jsonata)
	case "ResultWriter":
		v.resultWriter(n, jsonata)
	default:
		if contains(refPathFields, p.Key) {
			v.pathField(n, p.Key, refPathKind)
		}
	}
}

// arnPattern is asl-validator's test of a Task Resource string.
var arnPattern = lazyre.New(`(?i)^arn:(aws|aws-cn|aws-us-gov):([^:\n]+):([^:\n]*):(\d*):([^:/*]+([:/].*[^:/]+)?)$`)
var placeholderPattern = lazyre.New(`^\$\{[^}]+\}$`)

func (v *validator) resource(n *schema.Node) {
	if n.IsIntrinsic() {
		return
	}
	if n.Kind != schema.String {
		v.report(both, n.Pos, "Resource must be a string", "Got %s. Give an ARN, such as arn:aws:states:::lambda:invoke, or an intrinsic function.", kindOf(n))
		return
	}
	if !strings.HasPrefix(n.Value, "arn:") && !strings.Contains(n.Value, "${") && !strings.Contains(n.Value, "#{") {
		v.report(both, n.Pos, "Resource is not an ARN", "Got %q. A Task's Resource is an ARN such as arn:aws:states:::lambda:invoke or arn:aws:lambda:<region>:<account>:function:<name>.", shorten(n.Value))
		return
	}
	if !arnPattern.MatchString(n.Value) && !placeholderPattern.MatchString(n.Value) {
		v.report(lint, n.Pos, "Resource is not a literal ARN", "asl-validator wants arn:aws:<service>:<region>:<account>:<resource> or a single ${...}; got %q. Use an intrinsic function (Fn::Sub, Fn::GetAtt) instead of #{...} or ${AWS::Partition} inside the string.", shorten(n.Value))
	}
}

func (v *validator) queryLanguage(n *schema.Node) {
	if n.Kind != schema.String || (n.Value != "JSONPath" && n.Value != "JSONata") {
		val := stringValue(n)
		v.report(both, n.Pos, "QueryLanguage must be JSONPath or JSONata", "Got %s.%s", kindOf(n), diag.DidYouMean(val, []string{"JSONPath", "JSONata"}))
	}
}

func (v *validator) processorConfig(n *schema.Node) {
	if n.Kind != schema.Map {
		v.report(both, n.Pos, "ProcessorConfig must be an object", "Got %s.", kindOf(n))
		return
	}
	mode := n.Get("Mode")
	switch stringValue(mode) {
	case "INLINE":
	case "DISTRIBUTED":
		et := n.Get("ExecutionType")
		if et == nil {
			v.report(both, n.Pos, "a DISTRIBUTED Map needs an ExecutionType", "Add ExecutionType: STANDARD or EXPRESS to ProcessorConfig.")
		} else if s := stringValue(et); s != "STANDARD" && s != "EXPRESS" {
			v.report(both, et.Pos, "ExecutionType must be STANDARD or EXPRESS", "Got %s.%s", kindOf(et), diag.DidYouMean(s, []string{"STANDARD", "EXPRESS"}))
		}
	default:
		pos := n.Pos
		if mode != nil {
			pos = mode.Pos
		}
		v.report(both, pos, "ProcessorConfig Mode must be INLINE or DISTRIBUTED", "Got %s.%s", describe(mode), diag.DidYouMean(stringValue(mode), []string{"INLINE", "DISTRIBUTED"}))
	}
}

func describe(n *schema.Node) string {
	if n == nil {
		return "nothing"
	}
	return kindOf(n)
}

func (v *validator) itemReader(n *schema.Node, jsonata bool) {
	if !v.mapResource(n, "ItemReader", "arn:aws:states:::s3:getObject", jsonata) {
		return
	}
	if rc := n.Get("ReaderConfig"); rc != nil {
		if rc.Kind != schema.Map {
			v.report(both, rc.Pos, "ReaderConfig must be an object", "Got %s.", kindOf(rc))
			return
		}
		if m := rc.Get("MaxItems"); m != nil {
			if jsonata && isJSONataString(m) {
				v.jsonataString(m, "MaxItems")
			} else {
				v.integer(both, m, "MaxItems", 1, -1)
			}
		}
		if m := rc.Get("MaxItemsPath"); m != nil && !jsonata {
			v.pathField(m, "MaxItemsPath", refPathKind)
		}
	}
}

func (v *validator) itemBatcher(n *schema.Node, jsonata bool) {
	if n.Kind != schema.Map {
		v.report(both, n.Pos, "ItemBatcher must be an object", "Got %s.", kindOf(n))
		return
	}
	for _, p := range n.Pairs {
		switch p.Key {
		case "MaxItemsPerBatch":
			if jsonata && isJSONataString(p.Value) {
				v.jsonataString(p.Value, p.Key)
			} else {
				v.integer(both, p.Value, p.Key, 0, -1)
			}
		case "MaxInputBytesPerBatch":
			if jsonata && isJSONataString(p.Value) {
				v.jsonataString(p.Value, p.Key)
			} else {
				v.integer(both, p.Value, p.Key, 0, 262144)
			}
		case "MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath":
			v.pathField(p.Value, p.Key, refPathKind)
		case "BatchInput":
			if jsonata {
				v.jsonataTemplate(p.Value, p.Key)
			} else {
				v.payloadTemplate(p.Value, p.Key, true)
			}
		}
	}
}

func (v *validator) resultWriter(n *schema.Node, jsonata bool) {
	v.mapResource(n, "ResultWriter", "arn:aws:states:::s3:putObject", jsonata)
}

// mapResource checks what a Map's ItemReader and ResultWriter share: an
// object with a Resource, and Parameters or Arguments by query language.
// It reports whether n is an object.
func (v *validator) mapResource(n *schema.Node, field, example string, jsonata bool) bool {
	if n.Kind != schema.Map {
		v.report(both, n.Pos, field+" must be an object", "Got %s.", kindOf(n))
		return false
	}
	if r := n.Get("Resource"); r == nil {
		v.report(crash, n.Pos, field+" has no Resource", "Add Resource, such as %s.", example)
	} else if !r.IsIntrinsic() {
		v.wantString(both, r, "Resource")
	}
	if p := n.Get("Parameters"); p != nil && !jsonata {
		v.payloadTemplate(p, "Parameters", true)
	}
	if a := n.Get("Arguments"); a != nil && jsonata {
		v.jsonataOutput(a, "Arguments")
	}
	return true
}

// wantString reports a value that is not a string. An intrinsic function
// passes unless the plugin validates (asl-validator sees the object).
func (v *validator) wantString(c class, n *schema.Node, field string) bool {
	if n.Kind == schema.String {
		return true
	}
	if n.IsIntrinsic() {
		v.report(lint, n.Pos, field+" must be a string", "Got an intrinsic function; asl-validator checks the definition before CloudFormation resolves it.")
		return false
	}
	v.report(c, n.Pos, field+" must be a string", "Got %s.", kindOf(n))
	return false
}

// number reports a value that is not a number in [min, max] (max < 0: no
// upper bound) and returns whether it is one in range.
func (v *validator) number(c class, n *schema.Node, field string, min, max float64) bool {
	if n.IsIntrinsic() {
		v.report(lint, n.Pos, field+" must be a number", "Got an intrinsic function; asl-validator checks the definition before CloudFormation resolves it.")
		return false
	}
	if n.Kind != schema.Number {
		v.report(c, n.Pos, field+" must be a number", "Got %s.", kindOf(n))
		return false
	}
	if n.Num < min || (max >= 0 && n.Num > max) {
		v.report(c, n.Pos, fmt.Sprintf("%s is out of range", field), "Got %s; it must be %s.", n.Value, rangeText(min, max))
		return false
	}
	return true
}

func (v *validator) integer(c class, n *schema.Node, field string, min, max float64) bool {
	upper := max
	if c == both && max > 0 && max > 262144 {
		// asl-validator has no upper bound for these; Step Functions has.
		upper = -1
	}
	if !v.number(c, n, field, min, upper) {
		return false
	}
	if n.Num != math.Trunc(n.Num) {
		v.report(c, n.Pos, field+" must be a whole number", "Got %s.", n.Value)
		return false
	}
	if upper != max && n.Num > max {
		v.report(aws, n.Pos, fmt.Sprintf("%s is out of range", field), "Got %s; it must be %s.", n.Value, rangeText(min, max))
		return false
	}
	return true
}

func rangeText(min, max float64) string {
	if max < 0 {
		return fmt.Sprintf("at least %s", schema.FormatNumber(min))
	}
	return fmt.Sprintf("between %s and %s", schema.FormatNumber(min), schema.FormatNumber(max))
}

var dateTime = lazyre.New(`(?i)^(\d{4})-(\d{2})-(\d{2})[t ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(z|[+-]\d{2}(:?\d{2})?)$`)

// isDateTime is ajv-formats' date-time: RFC 3339 with a time zone.
func isDateTime(s string) bool {
	m := dateTime.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	atoi := func(x string) int {
		n := 0
		for _, c := range x {
			n = n*10 + int(c-'0')
		}
		return n
	}
	y, mo, d, h, mi, sec := atoi(m[1]), atoi(m[2]), atoi(m[3]), atoi(m[4]), atoi(m[5]), atoi(m[6])
	days := []int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		days[1] = 29
	}
	if mo < 1 || mo > 12 || d < 1 || d > days[mo-1] || h > 23 || mi > 59 || sec > 60 {
		return false
	}
	return true
}
