package events

import (
	"fmt"
	"strings"

	"github.com/stepform/stepform/internal/lazyre"
	"github.com/stepform/stepform/schema"
)

// snsTopicName is SNS's rule for topic names (before a .fifo suffix).
var snsTopicName = lazyre.New(`^[A-Za-z0-9_-]{1,256}$`)

// checkValues reports event settings AWS rejects though the framework
// compiles them: errors in default mode, warnings in plugin mode.
func (c *compiler) checkValues() {
	compat := schema.CompatDefault
	if c.in.Quirks.Lenient {
		compat = schema.CompatPlugin
	}
	c.diags.Append(schema.CheckFunctionSchedules(c.svc, compat))
	c.diags.Append(schema.CheckFunctionEventKeys(c.svc, compat))
	for _, fn := range c.fns {
		for _, ev := range fn.EventList {
			what := func(key string) string {
				return fmt.Sprintf("functions.%s.events[%d].%s.%s", fn.Key, ev.Index, ev.Kind, key)
			}
			switch {
			case ev.SQS != nil:
				e := ev.SQS
				window := e.MaximumBatchingWindow
				c.checkRange(window, what("maximumBatchingWindow"), 0, 300)
				max := 10.0
				if window != nil && window.Kind == schema.Number && window.Num > 0 {
					max = 10000
				}
				if b := e.BatchSize; b != nil && b.Kind == schema.Number && b.Num > 10 && max == 10 {
					c.strictf(b.Pos, fmt.Sprintf("%s above 10 needs maximumBatchingWindow", what("batchSize")),
						"Lambda takes up to 10 messages per batch from a queue unless a batching window of at least one second is set (then up to 10000). Lower batchSize, or set maximumBatchingWindow.")
				} else {
					c.checkRange(e.BatchSize, what("batchSize"), 1, 10000)
				}
				c.checkRange(e.MaximumConcurrency, what("maximumConcurrency"), 2, 1000)
				if arn := str(e.ARN); strings.HasSuffix(arn, ".fifo") && window != nil && !(window.Kind == schema.Number && window.Num == 0) {
					c.strictf(window.Pos, "a FIFO queue takes no batching window",
						"Lambda rejects maximumBatchingWindow for FIFO queues (%s). Remove it.", arn)
				}
			case ev.Stream != nil:
				e := ev.Stream
				c.checkRange(e.BatchSize, what("batchSize"), 1, 10000)
				c.checkRange(e.BatchWindow, what("batchWindow"), 0, 300)
				c.checkRange(e.ParallelizationFactor, what("parallelizationFactor"), 1, 10)
				c.checkRange(e.MaximumRetryAttempts, what("maximumRetryAttempts"), -1, 10000)
				c.checkRange(e.TumblingWindowInSeconds, what("tumblingWindowInSeconds"), 0, 900)
				if a := e.MaximumRecordAgeInSeconds; a != nil && !(a.Kind == schema.Number && a.Num == -1) {
					c.checkRange(a, what("maximumRecordAgeInSeconds")+" (or -1)", 60, 604800)
				}
			case ev.EventBridge != nil:
				if rp := ev.EventBridge.RetryPolicy; rp != nil && rp.Kind == schema.Map {
					c.checkRange(ev.EventBridge.Retry.MaximumEventAge, what("retryPolicy.maximumEventAge"), 60, 86400)
					c.checkRange(ev.EventBridge.Retry.MaximumRetryAttempts, what("retryPolicy.maximumRetryAttempts"), 0, 185)
				}
			case ev.SNS != nil:
				e := ev.SNS
				name := e.TopicName
				if name == nil && !e.Object && e.ARN != nil && e.ARN.Kind == schema.String && !strings.HasPrefix(e.ARN.Value, "arn:") {
					name = e.ARN
				}
				if name != nil && name.Kind == schema.String {
					base := strings.TrimSuffix(name.Value, ".fifo")
					switch {
					case strings.HasSuffix(name.Value, ".fifo"):
						c.strictf(name.Pos, fmt.Sprintf("SNS topic %q: a FIFO topic cannot trigger Lambda", name.Value),
							"SNS delivers FIFO topics to SQS FIFO queues only, so this subscription would fail. Subscribe an SQS FIFO queue and trigger the function from it.")
					case !snsTopicName.MatchString(base) || len(name.Value) > 256:
						c.strictf(name.Pos, fmt.Sprintf("invalid SNS topic name %q", name.Value),
							"SNS topic names are 1 to 256 letters, digits, hyphens and underscores (FIFO topics end in .fifo).")
					}
				}
			}
		}
	}
}

// checkRange reports a number outside lo..hi (or not whole); an
// intrinsic passes.
func (c *compiler) checkRange(n *schema.Node, what string, lo, hi float64) {
	if n == nil || n.IsIntrinsic() {
		return
	}
	if n.Kind != schema.Number || n.Num != float64(int64(n.Num)) || n.Num < lo || n.Num > hi {
		got := n.Value
		if n.Kind != schema.Number {
			got = fmt.Sprintf("%s %q", n.Kind, n.Value)
		}
		c.strictf(n.Pos, fmt.Sprintf("%s must be a whole number from %g to %g", what, lo, hi), "Got %s; AWS rejects anything else.", got)
	}
}
