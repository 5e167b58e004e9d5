package asl

import (
	"fmt"
	"strings"

	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// errorNames are the predefined error names of the specification and of
// Step Functions.
var errorNames = []string{"States.ALL", "States.BranchFailed", "States.DataLimitExceeded",
	"States.ExceedToleratedFailureThreshold", "States.HeartbeatTimeout", "States.Http.Socket",
	"States.IntrinsicFailure", "States.ItemReaderFailed", "States.NoChoiceMatched", "States.ParameterPathFailure",
	"States.Permissions", "States.QueryEvaluationError", "States.ResultPathMatchFailure", "States.ResultWriterFailed",
	"States.Runtime", "States.TaskFailed", "States.Timeout"}

var retryFields = []string{"ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment"}
var catchFields = []string{"ErrorEquals", "Next", "ResultPath", "Assign", "Output", "Comment"}

func (v *validator) retry(n *schema.Node) {
	if n.Kind != schema.List {
		v.report(both, n.Pos, "Retry must be a list", "Got %s. Write a list of retriers, each with ErrorEquals.", kindOf(n))
		return
	}
	for i, r := range n.Items {
		if r.Kind != schema.Map {
			v.report(both, r.Pos, "a retrier must be an object", "Got %s. A retrier has ErrorEquals and optionally IntervalSeconds, MaxAttempts, BackoffRate.", kindOf(r))
			continue
		}
		v.unknownFields(r, retryFields, "retrier")
		v.errorEquals(r, i == len(n.Items)-1, "retrier")
		for _, p := range r.Pairs {
			switch p.Key {
			case "IntervalSeconds":
				if v.number(both, p.Value, p.Key, 0, -1) {
					v.awsInteger(p.Value, p.Key, 1, 99999999)
				}
			case "MaxAttempts":
				if v.number(both, p.Value, p.Key, 0, -1) {
					v.awsInteger(p.Value, p.Key, 0, 99999999)
				}
			case "BackoffRate":
				if v.number(both, p.Value, p.Key, 0, -1) && p.Value.Num < 1 {
					v.report(aws, p.Value.Pos, "BackoffRate must be at least 1.0", "Got %s; the interval is multiplied by it after each attempt.", p.Value.Value)
				}
			case "MaxDelaySeconds":
				if p.Value.Kind != schema.Number {
					v.report(aws, p.Value.Pos, "MaxDelaySeconds must be a number", "Got %s.", kindOf(p.Value))
				} else {
					v.awsInteger(p.Value, p.Key, 1, 31622400)
				}
			case "JitterStrategy":
				if s := stringValue(p.Value); s != "FULL" && s != "NONE" {
					v.report(aws, p.Value.Pos, "JitterStrategy must be FULL or NONE", "Got %s.%s", kindOf(p.Value), diag.DidYouMean(s, []string{"FULL", "NONE"}))
				}
			case "Comment":
				v.wantString(aws, p.Value, p.Key)
			}
		}
	}
}

func (v *validator) awsInteger(n *schema.Node, field string, min, max float64) {
	if n.Num != float64(int64(n.Num)) || n.Num < min || n.Num > max {
		v.report(aws, n.Pos, fmt.Sprintf("%s is out of range", field), "Got %s; it must be a whole number %s.", n.Value, rangeText(min, max))
	}
}

func (v *validator) catch(s *scope, state string, n *schema.Node, jsonata bool) {
	if n.Kind != schema.List {
		v.report(both, n.Pos, "Catch must be a list", "Got %s. Write a list of catchers, each with ErrorEquals and Next.", kindOf(n))
		return
	}
	for i, c := range n.Items {
		if c.Kind != schema.Map {
			v.report(both, c.Pos, "a catcher must be an object", "Got %s. A catcher has ErrorEquals and Next.", kindOf(c))
			continue
		}
		v.unknownFields(c, catchFields, "catcher")
		v.errorEquals(c, i == len(n.Items)-1, "catcher")
		next := c.Get("Next")
		if next == nil {
			v.report(both, c.Pos, "a catcher has no Next", "Add Next: the state to go to when one of these errors is caught.")
		} else if v.wantString(both, next, "Next") {
			v.target(s, next, "Next", both)
			s.edges[state] = append(s.edges[state], next.Value)
		}
		if rp := c.Get("ResultPath"); rp != nil {
			if jsonata {
				v.report(aws, rp.Pos, "ResultPath is not allowed in a JSONata catcher", "Use Output instead.")
			} else if rp.Kind == schema.String {
				// asl-validator does not look at a catcher's ResultPath.
				if msg, _ := checkPath(rp.Value, resultPathKind); msg != "" {
					v.report(aws, rp.Pos, fmt.Sprintf("invalid ResultPath %q", shorten(rp.Value)), "%s", msg)
				}
			} else if rp.Kind != schema.Null {
				v.report(aws, rp.Pos, "ResultPath must be a path", "Got %s.", kindOf(rp))
			}
		}
		if a := c.Get("Assign"); a != nil {
			if jsonata {
				v.jsonataObject(a, "Assign")
			} else {
				v.payloadTemplate(a, "Assign", false)
			}
		}
		if o := c.Get("Output"); o != nil {
			if jsonata {
				v.jsonataOutput(o, "Output")
			} else {
				v.report(aws, o.Pos, "Output is not allowed in a JSONPath catcher", "Use ResultPath instead, or set QueryLanguage: JSONata.")
			}
		}
	}
}

func (v *validator) unknownFields(n *schema.Node, allowed []string, what string) {
	for _, p := range n.Pairs {
		if !contains(allowed, p.Key) {
			v.report(aws, p.KeyPos, fmt.Sprintf("unknown field %q in %s", p.Key, what),
				"A %s allows %s.%s", what, strings.Join(allowed, ", "), diag.DidYouMean(p.Key, allowed))
		}
	}
}

// errorEquals checks a retrier's or catcher's ErrorEquals: a non-empty
// list of error names, with States.ALL alone and in the last one.
func (v *validator) errorEquals(r *schema.Node, last bool, what string) {
	ee := r.Get("ErrorEquals")
	if ee == nil {
		v.report(both, r.Pos, fmt.Sprintf("a %s has no ErrorEquals", what), "Add ErrorEquals: a list of error names, such as [States.ALL].")
		return
	}
	if ee.Kind != schema.List {
		v.report(both, ee.Pos, "ErrorEquals must be a list", "Got %s. Write a list of error names, such as [States.TaskFailed].", kindOf(ee))
		return
	}
	if len(ee.Items) == 0 {
		v.report(aws, ee.Pos, "ErrorEquals is empty", "Name at least one error, such as States.ALL.")
	}
	for _, e := range ee.Items {
		if e.Kind != schema.String {
			v.report(both, e.Pos, "an error name must be a string", "Got %s.", kindOf(e))
			continue
		}
		if e.Value == "States.ALL" {
			if len(ee.Items) > 1 {
				v.report(aws, e.Pos, "States.ALL must be alone in ErrorEquals", "States.ALL matches every error; list it alone in its own %s.", what)
			}
			if !last {
				v.report(aws, e.Pos, fmt.Sprintf("States.ALL must be in the last %s", what), "A %s after the one with States.ALL can never match; move States.ALL to the end.", what)
			}
			continue
		}
		if strings.HasPrefix(e.Value, "States.") && !contains(errorNames, e.Value) {
			v.report(advice, e.Pos, fmt.Sprintf("unknown error name %q", e.Value),
				"Names starting with States. are reserved for Step Functions' own errors.%s", diag.DidYouMean(e.Value, errorNames))
		}
	}
}

// operand is the JSON type a Choice comparison operator takes.
type operand uint8

const (
	opString operand = iota
	opNumber
	opBool
	opPath
	opTimestamp
)

var choiceOperators = map[string]operand{
	"IsNull": opBool, "IsPresent": opBool, "IsBoolean": opBool, "IsNumeric": opBool, "IsString": opBool, "IsTimestamp": opBool,
	"BooleanEquals": opBool, "StringMatches": opString,
}

func init() {
	for _, cmp := range []string{"Equals", "GreaterThan", "GreaterThanEquals", "LessThan", "LessThanEquals"} {
		choiceOperators["String"+cmp] = opString
		choiceOperators["Numeric"+cmp] = opNumber
		choiceOperators["Timestamp"+cmp] = opTimestamp
		choiceOperators["String"+cmp+"Path"] = opPath
		choiceOperators["Numeric"+cmp+"Path"] = opPath
		choiceOperators["Timestamp"+cmp+"Path"] = opPath
	}
	choiceOperators["BooleanEqualsPath"] = opPath
}

func operatorNames() []string {
	names := []string{"And", "Or", "Not"}
	for k := range choiceOperators {
		names = append(names, k)
	}
	return names
}

func (v *validator) choices(s *scope, state string, n *schema.Node, jsonata bool) {
	if n.Kind != schema.List {
		v.report(both, n.Pos, "Choices must be a list", "Got %s. Write a list of rules, each with a comparison and Next.", kindOf(n))
		return
	}
	if len(n.Items) == 0 {
		v.report(both, n.Pos, "Choices is empty", "A Choice state needs at least one rule.")
	}
	for _, r := range n.Items {
		if r.Kind != schema.Map {
			v.report(both, r.Pos, "a Choice rule must be an object", "Got %s.", kindOf(r))
			continue
		}
		next := r.Get("Next")
		if next == nil {
			v.report(both, r.Pos, "a Choice rule has no Next", "Add Next: the state to go to when this rule matches.")
		} else if v.wantString(both, next, "Next") {
			v.target(s, next, "Next", both)
			s.edges[state] = append(s.edges[state], next.Value)
		}
		if jsonata {
			v.jsonataRule(r)
			continue
		}
		if a := r.Get("Assign"); a != nil {
			v.payloadTemplate(a, "Assign", false)
		}
		v.rule(r, true)
	}
}

func (v *validator) jsonataRule(r *schema.Node) {
	cond := r.Get("Condition")
	if cond == nil {
		v.report(both, r.Pos, "a JSONata Choice rule has no Condition", "Add Condition: \"{%% ... %%}\", a JSONata expression that is true or false.")
	} else {
		v.jsonataString(cond, "Condition")
	}
	if a := r.Get("Assign"); a != nil {
		v.jsonataObject(a, "Assign")
	}
	if o := r.Get("Output"); o != nil {
		v.jsonataOutput(o, "Output")
	}
	v.unknownFields(r, []string{"Condition", "Next", "Assign", "Output", "Comment"}, "JSONata Choice rule")
}

// rule checks a JSONPath Choice rule; top rules have Next, nested ones
// (under And, Or, Not) must not.
func (v *validator) rule(r *schema.Node, top bool) {
	if r.Kind != schema.Map {
		v.report(both, r.Pos, "a Choice rule must be an object", "Got %s.", kindOf(r))
		return
	}
	var ops []schema.Pair
	var unknown []schema.Pair
	for _, p := range r.Pairs {
		switch {
		case p.Key == "And" || p.Key == "Or" || p.Key == "Not":
			ops = append(ops, p)
		case isOperator(p.Key):
			ops = append(ops, p)
		case p.Key == "Variable" || p.Key == "Comment":
		case p.Key == "Next" || p.Key == "Assign":
			if !top {
				v.report(aws, p.KeyPos, fmt.Sprintf("%s is not allowed in a nested Choice rule", p.Key), "Only the rules directly under Choices have %s.", p.Key)
			}
		default:
			unknown = append(unknown, p)
		}
	}
	var names []string
	if len(unknown) > 0 {
		names = operatorNames()
	}
	for _, p := range unknown {
		c := aws
		if len(ops) == 0 {
			c = both
		}
		v.report(c, p.KeyPos, fmt.Sprintf("unknown field %q in Choice rule", p.Key),
			"A rule has Variable and one comparison operator (StringEquals, NumericGreaterThan, IsPresent, ...), or And, Or or Not.%s", diag.DidYouMean(p.Key, names))
	}
	if len(ops) == 0 {
		if len(unknown) == 0 {
			v.report(both, r.Pos, "a Choice rule has no comparison", "Add Variable and an operator such as StringEquals, or And, Or, Not.")
		}
		return
	}
	if len(ops) > 1 {
		v.report(both, ops[1].KeyPos, "a Choice rule has more than one operator", "Rule has %s and %s; combine comparisons with And or Or.", ops[0].Key, ops[1].Key)
		return
	}
	op := ops[0]
	switch op.Key {
	case "And", "Or":
		if op.Value.Kind != schema.List {
			v.report(both, op.Value.Pos, op.Key+" must be a list", "Got %s. Write a list of rules.", kindOf(op.Value))
			return
		}
		if len(op.Value.Items) == 0 {
			v.report(both, op.Value.Pos, op.Key+" is empty", "Give %s at least one rule.", op.Key)
		}
		for _, it := range op.Value.Items {
			v.rule(it, false)
		}
		if vr := r.Pair("Variable"); vr != nil {
			v.report(aws, vr.KeyPos, "Variable is not allowed next to "+op.Key, "Put Variable in the rules under %s.", op.Key)
		}
		return
	case "Not":
		v.rule(op.Value, false)
		if vr := r.Pair("Variable"); vr != nil {
			v.report(aws, vr.KeyPos, "Variable is not allowed next to Not", "Put Variable in the rule under Not.")
		}
		return
	}
	vr := r.Get("Variable")
	if vr == nil {
		v.report(both, r.Pos, "a Choice rule has no Variable", "Add Variable: the path of the value %s compares, such as $.status.", op.Key)
	} else {
		v.pathField(vr, "Variable", refPathKind)
	}
	val := op.Value
	if val.IsIntrinsic() {
		v.report(lint, val.Pos, op.Key+" takes a literal", "Got an intrinsic function; asl-validator checks the definition before CloudFormation resolves it.")
		return
	}
	switch choiceOperators[op.Key] {
	case opString, opTimestamp:
		if val.Kind != schema.String {
			v.report(both, val.Pos, op.Key+" takes a string", "Got %s.", kindOf(val))
		} else if choiceOperators[op.Key] == opTimestamp && !isDateTime(val.Value) {
			v.report(aws, val.Pos, op.Key+" takes an RFC 3339 timestamp", "Got %q; write it like 2024-01-31T12:00:00Z.", val.Value)
		}
	case opNumber:
		if val.Kind != schema.Number {
			v.report(both, val.Pos, op.Key+" takes a number", "Got %s.%s", kindOf(val), quotedNumberHint(val))
		}
	case opBool:
		if val.Kind != schema.Bool {
			v.report(both, val.Pos, op.Key+" takes true or false", "Got %s.", kindOf(val))
		}
	case opPath:
		v.pathField(val, op.Key, refPathKind)
	}
}

func isOperator(k string) bool { _, ok := choiceOperators[k]; return ok }

func quotedNumberHint(n *schema.Node) string {
	if n.Kind == schema.String {
		return " Remove the quotes, or compare with StringEquals."
	}
	return ""
}
