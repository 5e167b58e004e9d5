package schema

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/stepform/stepform/internal/lazyre"
	"github.com/stepform/stepform/schema/diag"
)

// This file checks schedule and event rule settings that the plugin pastes
// into the template unexamined and that EventBridge, EventBridge Scheduler
// or CloudFormation then reject at deploy time. Each finding is an error in
// the default mode and a warning in plugin mode (the plugin compiles it).

// methodScheduler is the schedule method that makes an EventBridge
// Scheduler schedule instead of an EventBridge rule.
const methodScheduler = "scheduler"

// checkScheduleSettings checks what a schedule object sets besides its
// input: enabled, method, timezone, retryPolicy and role.
func (f *findings) checkScheduleSettings(s *Node, st *Schedule) {
	f.checkEnabled(s)
	if m := s.Get("method"); m != nil && m.Kind != Null && !(m.Kind == String && (m.Value == "eventBus" || m.Value == methodScheduler)) {
		f.strictf(m.Pos, fmt.Sprintf("unknown schedule method %s", describeBrief(m)),
			"method is eventBus (an EventBridge rule, the default) or scheduler (EventBridge Scheduler); the plugin makes an EventBridge rule of anything else.%s",
			diag.DidYouMean(jsText(m), []string{"eventBus", methodScheduler}))
	}
	if st.Timezone.Truthy() && st.Method == methodScheduler {
		f.checkTimezone(st.Timezone)
	}
	if st.RetryPolicy.Truthy() {
		f.checkRetryPolicy(st.RetryPolicy)
	}
	if st.Role.Truthy() {
		f.checkRoleArn(st.Role, "role")
	}
}

// checkEventRuleSettings checks a cloudwatchEvent or eventBridge event's
// pattern, enabled, eventBusName, iamRole and retryPolicy.
func (f *findings) checkEventRuleSettings(rule, event *Node) {
	if event.Kind != Map {
		f.strictf(event.Pos, "event pattern must be an object",
			"Write event: {source: [aws.ec2], detail-type: [...]}; got %s, which the plugin writes as the EventPattern and CloudFormation rejects.", describeBrief(event))
	}
	f.checkEnabled(rule)
	f.checkEventBusName(rule.Get("eventBusName"))
	if r := rule.Get("iamRole"); r != nil {
		f.checkRoleArn(r, "iamRole")
	}
	if rp := rule.Get("retryPolicy"); rp.Truthy() {
		f.checkRetryPolicy(rp)
	}
}

// checkEnabled reports an enabled value that is not a boolean: the plugin
// disables a schedule or rule only for the boolean false.
func (f *findings) checkEnabled(s *Node) {
	e := s.Get("enabled")
	if e == nil || e.Kind == Bool || e.Kind == Null {
		return
	}
	f.strictf(e.Pos, "enabled must be true or false",
		"Got %s, which the plugin reads as true (only the boolean false disables it). Write enabled: true or enabled: false, unquoted.", describeBrief(e))
}

var (
	rateExpression = lazyre.New(`^rate\((\S+) (\S+)\)$`)
	cronExpression = lazyre.New(`^cron\((.*)\)$`)
	atExpression   = lazyre.New(`^at\((.*)\)$`)
)

// checkScheduleExpression checks a rate(...), cron(...) or, for EventBridge
// Scheduler, at(...) expression.
func (f *findings) checkScheduleExpression(n *Node, scheduler bool) {
	if n.Kind != String {
		return // reported where the rate is read
	}
	expr := n.Value
	switch {
	case strings.HasPrefix(expr, "rate("):
		f.checkRate(n, scheduler)
	case strings.HasPrefix(expr, "cron("):
		m := cronExpression.FindStringSubmatch(expr)
		if m == nil {
			f.strictf(n.Pos, fmt.Sprintf("invalid schedule expression %q", expr), "A cron expression is cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>), e.g. cron(0 12 * * ? *).")
			return
		}
		if problem := cronProblem(m[1]); problem != "" {
			f.strictf(n.Pos, fmt.Sprintf("invalid cron expression %q", expr), "%s Example: cron(0 12 * * ? *) runs at noon UTC every day.", problem)
		}
	case strings.HasPrefix(expr, "at("):
		if !scheduler {
			f.strictf(n.Pos, "at() works only with method: scheduler", "EventBridge rules take rate() and cron() expressions; add method: scheduler for a one-time schedule.")
			return
		}
		m := atExpression.FindStringSubmatch(expr)
		if m == nil {
			f.strictf(n.Pos, fmt.Sprintf("invalid schedule expression %q", expr), "A one-time schedule is at(yyyy-mm-ddThh:mm:ss), e.g. at(2030-01-31T09:00:00).")
			return
		}
		if _, err := time.Parse("2006-01-02T15:04:05", m[1]); err != nil {
			f.strictf(n.Pos, fmt.Sprintf("invalid at() time %q", m[1]), "Write the date and time as yyyy-mm-ddThh:mm:ss without a zone, e.g. at(2030-01-31T09:00:00); the zone is the schedule's timezone.")
		}
	default:
		kinds := "rate(10 minutes) or cron(0 12 * * ? *)"
		if scheduler {
			kinds = "rate(10 minutes), cron(0 12 * * ? *) or at(2030-01-31T09:00:00)"
		}
		f.strictf(n.Pos, fmt.Sprintf("invalid schedule expression %q", expr), "A schedule is %s.", kinds)
	}
}

// checkRate checks rate(value unit): a positive whole value and a unit of
// minutes, hours or days. EventBridge rules also want the singular unit
// for 1 and the plural for more.
func (f *findings) checkRate(n *Node, scheduler bool) {
	m := rateExpression.FindStringSubmatch(n.Value)
	units := []string{"minute", "minutes", "hour", "hours", "day", "days"}
	if m == nil {
		f.strictf(n.Pos, fmt.Sprintf("invalid rate expression %q", n.Value), "Write rate(<value> <unit>) with one space, e.g. rate(5 minutes) or rate(1 hour).")
		return
	}
	value, err := strconv.Atoi(m[1])
	if err != nil || value < 1 || m[1][0] == '+' {
		f.strictf(n.Pos, fmt.Sprintf("invalid rate value %q", m[1]), "The value of a rate is a whole number, at least 1, e.g. rate(5 minutes).")
		return
	}
	unit := m[2]
	if !contains(units, unit) {
		f.strictf(n.Pos, fmt.Sprintf("invalid rate unit %q", unit), "The unit is minute, minutes, hour, hours, day or days.%s", diag.DidYouMean(unit, units))
		return
	}
	if scheduler {
		return
	}
	plural := strings.HasSuffix(unit, "s")
	if value == 1 && plural {
		f.strictf(n.Pos, fmt.Sprintf("rate(1 %s) needs the singular unit", unit), "EventBridge rejects it; write rate(1 %s).", strings.TrimSuffix(unit, "s"))
	} else if value > 1 && !plural {
		f.strictf(n.Pos, fmt.Sprintf("rate(%d %s) needs the plural unit", value, unit), "EventBridge rejects it; write rate(%d %ss).", value, unit)
	}
}

// cronField is one field of an EventBridge cron expression.
type cronField struct {
	name     string
	min, max int
	names    []string // names for min, min+1, ... (months and weekdays)
	special  string   // characters besides , - * / the field takes
}

var cronFields = []cronField{
	{name: "minutes", min: 0, max: 59},
	{name: "hours", min: 0, max: 23},
	{name: "day-of-month", min: 1, max: 31, special: "?LW"},
	{name: "month", min: 1, max: 12, names: []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}},
	{name: "day-of-week", min: 1, max: 7, names: []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}, special: "?L#"},
	{name: "year", min: 1970, max: 2199},
}

// cronProblem returns what is wrong with the fields of a cron expression,
// or "".
func cronProblem(fields string) string {
	parts := strings.Fields(fields)
	if len(parts) != len(cronFields) {
		return fmt.Sprintf("It has %d fields; EventBridge wants 6: minutes hours day-of-month month day-of-week year.", len(parts))
	}
	var problems []string
	for i, f := range cronFields {
		if p := f.problem(parts[i]); p != "" {
			problems = append(problems, p)
		}
	}
	if len(problems) > 0 {
		return strings.Join(problems, " ")
	}
	if (parts[2] == "?") == (parts[4] == "?") {
		return "Exactly one of day-of-month (3rd field) and day-of-week (5th field) must be ?: set the day in one and write ? in the other."
	}
	return ""
}

var cronNumber = lazyre.New(`^[0-9]+$`)

// problem checks one field: a list of *, values, ranges and increments,
// with the field's own special forms.
func (f cronField) problem(field string) string {
	bad := func(what string) string {
		return fmt.Sprintf("The %s field %q %s.", f.name, field, what)
	}
	badItem := func(item, what string) string {
		return fmt.Sprintf("In the %s field, %q: %s.", f.name, item, what)
	}
	if field == "?" {
		if strings.Contains(f.special, "?") {
			return ""
		}
		return bad("cannot be ? (only day-of-month and day-of-week can)")
	}
	if field == "*" {
		return ""
	}
	for _, item := range strings.Split(field, ",") {
		if item == "" {
			return bad("has an empty list item")
		}
		if f.name == "day-of-month" && (item == "L" || item == "LW") {
			continue
		}
		if f.name == "day-of-month" && strings.HasSuffix(item, "W") {
			if !f.inRange(strings.TrimSuffix(item, "W")) {
				return badItem(item, "W follows a day from 1 to 31")
			}
			continue
		}
		if f.name == "day-of-week" {
			if item == "L" {
				continue
			}
			if day, nth, ok := strings.Cut(item, "#"); ok {
				if !f.inRange(day) || len(nth) != 1 || nth[0] < '1' || nth[0] > '5' {
					return badItem(item, "# takes a weekday and a week from 1 to 5, e.g. 3#2")
				}
				continue
			}
			if strings.HasSuffix(item, "L") && f.inRange(strings.TrimSuffix(item, "L")) {
				continue
			}
		}
		base, step, hasStep := strings.Cut(item, "/")
		if hasStep && (!cronNumber.MatchString(step) || step == "0" || strings.Trim(step, "0") == "") {
			return badItem(item, "the increment after / must be a whole number, at least 1")
		}
		if base == "*" {
			continue
		}
		lo, hi, isRange := strings.Cut(base, "-")
		if !f.inRange(lo) || isRange && !f.inRange(hi) {
			return badItem(item, "the field takes "+f.takes())
		}
	}
	return ""
}

// inRange reports whether s is a value of the field: a number in range or
// one of its names.
func (f cronField) inRange(s string) bool {
	if cronNumber.MatchString(s) {
		v, err := strconv.Atoi(s)
		return err == nil && v >= f.min && v <= f.max
	}
	return contains(f.names, strings.ToUpper(s))
}

func (f cronField) takes() string {
	t := fmt.Sprintf("%d-%d", f.min, f.max)
	if len(f.names) > 0 {
		t += fmt.Sprintf(" or %s-%s", f.names[0], f.names[len(f.names)-1])
	}
	t += ", with , - * /"
	for _, ch := range f.special {
		t += " " + string(ch)
	}
	return t
}

// checkTimezone reports a name that is not an IANA time zone.
func (f *findings) checkTimezone(n *Node) {
	if n.Kind != String {
		if !isObject(n) {
			f.strictf(n.Pos, "timezone must be a time zone name", "Write an IANA name such as Europe/Paris or America/New_York; got %s.", describeBrief(n))
		}
		return
	}
	i := sort.SearchStrings(ianaTimeZones, n.Value)
	if i < len(ianaTimeZones) && ianaTimeZones[i] == n.Value {
		return
	}
	f.strictf(n.Pos, fmt.Sprintf("unknown time zone %q", n.Value),
		"EventBridge Scheduler takes IANA time zone names such as Europe/Paris, America/New_York or UTC.%s", diag.DidYouMean(n.Value, ianaTimeZones))
}

// checkRetryPolicy checks the ranges EventBridge gives a target's retry
// policy: 0 to 185 retries, events kept 60 to 86400 seconds.
func (f *findings) checkRetryPolicy(rp *Node) {
	if rp.Kind != Map {
		if !rp.IsIntrinsic() {
			f.strictf(rp.Pos, "retryPolicy must be an object", "Write retryPolicy: {maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600}; got %s.", describeBrief(rp))
		}
		return
	}
	f.checkWholeNumber(rp.Get("maximumRetryAttempts"), "maximumRetryAttempts", 0, 185)
	f.checkWholeNumber(rp.Get("maximumEventAgeInSeconds"), "maximumEventAgeInSeconds", 60, 86400)
}

// checkWholeNumber checks an optional whole number (or numeric string, as
// CloudFormation reads it) against a range; an intrinsic passes.
func (f *findings) checkWholeNumber(n *Node, name string, min, max int) {
	if n == nil || n.Kind == Null || n.IsIntrinsic() {
		return
	}
	num, ok := n.Num, n.Kind == Number
	if n.Kind == String {
		v, err := strconv.ParseFloat(n.Value, 64)
		num, ok = v, err == nil
	}
	if !ok || num != float64(int64(num)) || num < float64(min) || num > float64(max) {
		got := describeBrief(n)
		if n.Kind == Number {
			got = n.Value
		}
		f.strictf(n.Pos, fmt.Sprintf("%s must be a whole number from %d to %d", name, min, max), "Got %s; EventBridge rejects anything else.", got)
	}
}

var roleArn = lazyre.New(`^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]+$`)

// checkRoleArn reports a role that is neither an IAM role ARN nor an
// intrinsic function that yields one.
func (f *findings) checkRoleArn(n *Node, key string) {
	if n.IsIntrinsic() || n.Kind == String && roleArn.MatchString(n.Value) {
		return
	}
	f.strictf(n.Pos, key+" must be an IAM role ARN",
		"Write arn:aws:iam::123456789012:role/name, or {Fn::GetAtt: [Role, Arn]}; got %s. A role name alone is not enough.", describeBrief(n))
}

var (
	eventBusNameSyntax = lazyre.New(`^[/.\-_A-Za-z0-9]{1,256}$`)
	eventBusArnSyntax  = lazyre.New(`^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/[/.\-_A-Za-z0-9]{1,256}$`)
)

// checkEventBusName reports an eventBusName that is neither a bus name nor
// a bus ARN.
func (f *findings) checkEventBusName(n *Node) {
	if n == nil || n.IsIntrinsic() || n.Kind == String && (eventBusNameSyntax.MatchString(n.Value) || eventBusArnSyntax.MatchString(n.Value)) {
		return
	}
	f.strictf(n.Pos, "invalid eventBusName",
		"An event bus is a name (letters, digits, . - _ /, up to 256) or an ARN arn:aws:events:<region>:<account>:event-bus/<name>, or an intrinsic such as {Ref: Bus}; got %s.", describeBrief(n))
}
