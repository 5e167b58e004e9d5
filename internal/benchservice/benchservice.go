// Package benchservice generates the service the benchmarks measure: N
// Express state machines, each started synchronously by an http event and
// running a Choice, a Pass and a Task state. It needs no functions, so
// sls package and stepform package --compat plugin can be timed on the
// same file; it uses only keys the plugin knows.
package benchservice

import (
	"fmt"
	"strings"
)

// Config returns the serverless.yml text of a service with n state machines.
func Config(n int) []byte {
	var b strings.Builder
	b.Grow(64 + n*700)
	b.WriteString(`service: bench
provider: {name: aws, runtime: nodejs18.x, region: us-east-1}
plugins:
  - serverless-step-functions
stepFunctions:
  stateMachines:
`)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, `    machine%[1]d:
      type: EXPRESS
      name: bench-machine%[1]d-${sls:stage}
      events:
        - http:
            path: /machine%[1]d
            method: post
            action: StartSyncExecution
      definition:
        TimeoutSeconds: 25
        StartAt: Route
        States:
          Route:
            Type: Choice
            Choices:
              - Variable: $.kind
                StringEquals: fast
                Next: Fast
            Default: Work
          Fast:
            Type: Pass
            Result: {ok: true, machine: %[1]d}
            End: true
          Work:
            Type: Task
            Resource: arn:aws:states:::lambda:invoke
            Parameters:
              FunctionName: arn:aws:lambda:us-east-1:123456789012:function:worker%[1]d
              Payload.$: $
            End: true
`, i)
	}
	return []byte(b.String())
}
