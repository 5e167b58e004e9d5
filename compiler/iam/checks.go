package iam

import (
	"fmt"
	"strings"

	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/schema"
)

// checkPermissionTargets reports a task whose inferred permission has no
// resource (null or an empty list): IAM rejects a policy statement without
// one, and the task could not run anyway.
func (c *emitter) checkPermissionTargets(task *schema.Node, perms []permission) {
	for _, p := range perms {
		if !emptyResource(p.resource) {
			continue
		}
		pos := task.Pos
		for _, key := range []string{"Parameters", "Arguments"} {
			if v := task.Get(key); v != nil {
				pos = v.Pos
				break
			}
		}
		fix := "Name the resource the task calls in its Parameters (Arguments for JSONata)."
		switch {
		case strings.HasPrefix(p.action, "lambda:"):
			fix = "Set Parameters.FunctionName (Arguments.FunctionName for JSONata) to the function's name or ARN."
		case strings.HasPrefix(p.action, "sqs:"):
			if url := parameterOrArgument(task, "QueueUrl"); url != nil {
				pos = url.Pos
				fix = fmt.Sprintf("QueueUrl is %s, not a queue URL; write https://sqs.REGION.amazonaws.com/ACCOUNT/NAME, or a Ref to the queue.", jsvalue.Describe(url))
			}
		}
		c.DeployFailure(pos, "the task's IAM permission has no resource",
			"The execution role would allow %s on nothing, and IAM rejects a statement without a Resource. %s", p.action, fix)
		return
	}
}

// emptyResource reports a permission resource that is null, an empty list,
// or a list holding null.
func emptyResource(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case []any:
		if len(x) == 0 {
			return true
		}
		for _, e := range x {
			if e == nil {
				return true
			}
		}
	}
	return false
}
