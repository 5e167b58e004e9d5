package schema

import (
	"github.com/stepform/stepform/schema/diag"
)

// Schedule is a `schedule` event, in either form: a rate string, or an
// object with a rate and settings.
type Schedule struct {
	// Pos is the position of the event's `schedule` key.
	Pos diag.Pos
	// Node is the raw value (string or object).
	Node *Node
	// Rate is the rate as written: a string, or a list of them, which the
	// plugin joins with "," into one expression (the default mode makes a
	// rule per rate). Rates are its items, or Rate alone.
	Rate  *Node
	Rates []*Node
	// Disabled is true only for enabled: false (the boolean).
	Disabled bool
	// Method is "eventBus" (the default), "scheduler", or the text of any
	// other truthy value, which the plugin compiles as eventBus.
	Method string
	// Input, InputPath and InputTransformer stay raw: the plugin pastes
	// them into JSON text, where a string and an object differ (a string
	// input has its quotes escaped, an object is stringified), and the
	// default mode writes an object input as its JSON text.
	// In the default mode InputTransformer is nil unless it is an object
	// with an inputTemplate string (anything else is reported).
	Input, InputPath, InputTransformer *Node
	// Name, Description and Timezone are written as their text when
	// truthy; Timezone is checked for method scheduler only.
	Name, Description, Timezone *Node
	// RetryPolicy and Role pass through to CloudFormation.
	RetryPolicy, Role *Node
	// Broken is set when the schedule is counted in the machine's
	// numbering (it is truthy) but compiles to nothing: the plugin throws,
	// or the default mode rejects it.
	Broken bool
}

// Scheduler reports whether the schedule is an EventBridge Scheduler
// schedule rather than an EventBridge rule.
func (s *Schedule) Scheduler() bool { return s.Method == methodScheduler }

// DecodeSchedule decodes the `schedule` of one event entry of m. It
// returns nil when the entry has no schedule, or an empty one (which the
// plugin skips without counting it).
//
// The plugin-mode failure to parse the JSON text it pastes together (a
// quote or backslash in name, description, rate or input) depends on the
// text the compiler builds, so the compiler reports it.
func DecodeSchedule(m *StateMachine, ev *Node, compat Compat) (*Schedule, diag.List) {
	f := &findings{compat: compat}
	s := ev.Get("schedule")
	if !s.Truthy() {
		if s != nil {
			f.strictf(posOr(s, keyPosIn(ev, "schedule")), "schedule is empty",
				"The plugin skips an empty schedule event, so nothing starts state machine %s on it. Write schedule: rate(10 minutes), or remove the event.", m.Key)
		}
		return nil, f.diags
	}
	st := &Schedule{Pos: keyPosIn(ev, "schedule"), Node: s}
	st.Broken = !f.readSchedule(m, s, st)
	if !st.Broken && !f.plugin() {
		st.Broken = !f.defaultSchedule(s, st)
	}
	return st, f.diags
}

// readSchedule reads a schedule and reports what the plugin throws on.
func (f *findings) readSchedule(m *StateMachine, s *Node, st *Schedule) bool {
	switch s.Kind {
	case String:
		st.Rate, st.Rates, st.Method = s, []*Node{s}, "eventBus"
		f.checkScheduleExpression(s, false)
		return true
	case Map:
	default:
		f.diags.Errorf(s.Pos, "schedule must be a string or an object",
			"Write schedule: rate(10 minutes), or an object with a rate (and enabled, input, name, ...).")
		return false
	}
	st.Rate = s.Get("rate")
	if !st.Rate.Truthy() {
		f.diags.Errorf(keyPosIn(s, "rate"), "schedule has no rate",
			"A schedule object needs rate: rate(10 minutes) or cron(...) in state machine %s.", m.Key)
		return false
	}
	st.Rates = []*Node{st.Rate}
	if st.Rate.Kind == List {
		st.Rates = st.Rate.Items
	}
	if e := s.Get("enabled"); e != nil && e.Kind == Bool && e.Value == "false" {
		st.Disabled = true
	}
	st.Input, st.InputPath, st.InputTransformer = s.Get("input"), s.Get("inputPath"), s.Get("inputTransformer")
	st.Name, st.Description, st.Timezone = s.Get("name"), s.Get("description"), s.Get("timezone")
	st.RetryPolicy, st.Role = s.Get("retryPolicy"), s.Get("role")
	st.Method = "eventBus"
	if mm := s.Get("method"); mm.Truthy() {
		st.Method = jsText(mm)
	}
	ok := f.checkEventInput(s)
	f.checkScheduleSettings(s, st)
	f.checkScheduleRates(st)
	if st.InputTransformer.Truthy() && st.Scheduler() {
		f.diags.Errorf(keyPosIn(s, "inputTransformer"), "inputTransformer does not work with method: scheduler",
			"EventBridge Scheduler has no input transformer; use input, or the default method (eventBus).")
		ok = false
	}
	if st.InputPath.Truthy() && st.Scheduler() {
		f.diags.Errorf(keyPosIn(s, "inputPath"), "inputPath does not work with method: scheduler",
			"EventBridge Scheduler has no input path; use input, or the default method (eventBus).")
		ok = false
	}
	if st.Timezone.Truthy() && !st.Scheduler() {
		f.diags.Errorf(keyPosIn(s, "timezone"), "timezone works only with method: scheduler",
			"EventBridge rules run in UTC; add method: scheduler to use a timezone.")
		ok = false
	}
	return ok
}

// defaultSchedule applies the default mode's own checks: a rule per
// rate, so a name cannot be shared, and each rate a string.
func (f *findings) defaultSchedule(s *Node, st *Schedule) bool {
	if len(st.Rates) > 1 && st.Rate.Kind == List && st.Name.Truthy() {
		f.diags.Errorf(keyPosIn(s, "name"), "a named schedule has several rates",
			"Each rate becomes its own rule, and rule names must be unique; remove name or give each rate its own schedule event.")
		return false
	}
	for _, r := range st.Rates {
		if r.Kind != String || r.Value == "" {
			f.diags.Errorf(r.Pos, "schedule rate must be a string", "Write rate(10 minutes) or cron(0 12 * * ? *).")
			return false
		}
	}
	if !st.Scheduler() && len(st.Rates) > 0 {
		st.InputTransformer = f.defaultInputTransformer(st.InputTransformer)
	}
	return true
}

// checkScheduleRates checks each schedule expression of a schedule.
func (f *findings) checkScheduleRates(st *Schedule) {
	scheduler := st.Scheduler()
	if st.Rate.Kind != List {
		f.checkScheduleExpression(st.Rate, scheduler)
		return
	}
	if f.plugin() && len(st.Rate.Items) > 1 {
		f.diags.Warnf(st.Rate.Pos, "the plugin joins a list of rates into one expression",
			"It writes %q, which EventBridge rejects. Give each rate its own schedule event; the default mode makes one rule per rate.", jsText(st.Rate))
	}
	for _, r := range st.Rate.Items {
		f.checkScheduleExpression(r, scheduler)
	}
}

// checkEventInput is the plugin's validateEventInput: at most one of
// input, inputPath and inputTransformer.
func (f *findings) checkEventInput(s *Node) bool {
	var set []string
	for _, k := range []string{"input", "inputPath", "inputTransformer"} {
		if s.Get(k).Truthy() {
			set = append(set, k)
		}
	}
	if len(set) > 1 {
		f.diags.Errorf(keyPosIn(s, set[1]), "input, inputPath and inputTransformer exclude each other",
			"This event sets %s and %s; keep one of them.", set[0], set[1])
		return false
	}
	return true
}

// defaultInputTransformer checks an inputTransformer the default mode
// writes as values: it needs an inputTemplate string. It returns the
// setting, or nil when it is falsy or reported.
func (f *findings) defaultInputTransformer(tr *Node) *Node {
	if !tr.Truthy() {
		return nil
	}
	tmpl := tr.Get("inputTemplate")
	if tr.Kind != Map || tmpl == nil || tmpl.Kind != String {
		f.diags.Errorf(posOr(tmpl, tr.Pos), "inputTransformer needs an inputTemplate string",
			"Write inputTransformer: {inputPathsMap: {name: $.detail.name}, inputTemplate: '{\"name\": <name>}'}.")
		return nil
	}
	return tr
}
