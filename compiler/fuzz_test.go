package compiler_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stepform/stepform/compiler"
	"github.com/stepform/stepform/compiler/artifact"
	"github.com/stepform/stepform/schema"
)

// FuzzCompile loads and compiles arbitrary serverless.yml text in both
// modes. Nothing may panic, and whatever compiles must be valid JSON.
func FuzzCompile(f *testing.F) {
	ok, errs := fixtureNames(f)
	for _, name := range append(ok, errs...) {
		if data, err := os.ReadFile(filepath.Join(fixturesDir, name, "serverless.yml")); err == nil {
			f.Add(data)
		}
	}
	for _, fn := range oddFunctions {
		f.Add([]byte("service: fuzz\nprovider: {name: aws, runtime: nodejs18.x, vpc: {securityGroupIds: [a], subnetIds: [b]}}\n" +
			"layers: {l: {path: l, allowedAccounts: [5, '*']}}\nfunctions:\n  f: " + fn + "\n  g: {handler: h.g, provisionedConcurrency: 1}\n"))
	}
	for _, def := range oddDefinitions {
		f.Add([]byte("service: fuzz\nprovider: {name: aws}\nplugins: [serverless-step-functions]\n" +
			"stepFunctions:\n  stateMachines:\n    m:\n      definition: " + def + "\n"))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		load := schema.LoadOptions{
			ConfigPath: "serverless.yml",
			Stage:      "dev",
			ReadFile: func(p string) ([]byte, error) {
				if p == "serverless.yml" {
					return data, nil
				}
				return nil, errors.New("no such file")
			},
		}
		// With artifacts (one zip per function key), the framework's half
		// compiles too.
		arts := &artifact.Set{Functions: map[string]artifact.Artifact{}, Layers: map[string]artifact.Artifact{}}
		if svc, _, _ := schema.Load(load); svc != nil {
			for _, fn := range svc.Functions {
				arts.Functions[fn.Key] = artifact.Artifact{Dir: "serverless/fuzz/dev/x", Name: "fuzz.zip", CodeSha256: "c2hh"}
			}
		}
		for _, opts := range []compiler.Options{{Mode: compiler.Default}, {Mode: compiler.Plugin},
			{Mode: compiler.Default, Artifacts: arts}, {Mode: compiler.Plugin, Artifacts: arts}} {
			out, _, diags := compiler.Build(load, opts, compiler.JSON)
			if diags.HasErrors() != (out == nil) {
				t.Fatalf("errors=%v but output=%v", diags.HasErrors(), out != nil)
			}
			if out != nil && !json.Valid(out) {
				t.Fatalf("invalid JSON output:\n%s", out)
			}
		}
	})
}

// oddDefinitions are definitions (YAML flow style) whose shapes the IAM
// builders must survive: values of unexpected kinds where the plugin reads
// a string, a list or an object.
var oddDefinitions = []string{
	`{StartAt: A, States: {A: {Type: Task, Resource: "arn:aws:states:::events:putEvents", Parameters: {Entries: 5}}}}`,
	`{StartAt: A, States: {A: {Type: Task, Resource: "arn:aws:states:::events:putEvents", Arguments: {Entries: [null, "x", {EventBusName: {Ref: B}}]}}}}`,
	`{StartAt: A, States: {A: {Type: Task, Resource: "arn:aws:states:::s3:getObject", Parameters: "text"}}}`,
	`{StartAt: A, States: {A: {Type: Map, ItemProcessor: null, Iterator: {States: {B: {Type: Task, Resource: [1]}}}}}}`,
	`{StartAt: A, States: {A: {Type: Parallel, Branches: {x: {States: {B: {Type: Task, Resource: {Fn::Sub: [1, 2]}}}}, y: null}}}}`,
	`{StartAt: A, States: {A: {Type: Task, Resource: "arn:aws:states:::states:startExecution", Parameters: {StateMachineArn: {Fn::Sub: [{}]}}}}}`,
	`{StartAt: A, States: {A: {Type: Task, Resource: "arn:aws:states:::aws-sdk:redshiftdata:executeStatement", Arguments: {WorkgroupName: null, SecretArn: 7, DbUser: []}}}}`,
	`{StartAt: A, States: {A: {Type: Task, Resource: "arn:aws:states:::aws-sdk:dynamodb:batchGetItem", Parameters: {RequestItems: "ab"}}}}`,
	`{StartAt: A, States: {A: {Type: Task, Resource: "arn:aws:states:::dynamodb:getItem", Arguments: {TableName: {Fn::GetAtt: "T.Arn"}, IndexName: {Ref: I}}}}}`,
	`{StartAt: A, States: {A: {Type: Task, Resource: "arn:aws:states:::bedrock:invokeModel", Parameters: {ModelId: [a]}}}}`,
}

// oddFunctions are function entries (YAML flow style) with values of
// unexpected kinds where the framework reads a string, list or object.
var oddFunctions = []string{
	`{handler: h.f, role: {Fn::GetAtt: 5}, vpc: {securityGroupIds: x}, tags: [a], environment: {A: [1]}}`,
	`{handler: h.f, url: {cors: {allowedOrigins: 5, maxAge: x}, authorizer: 1}, destinations: {onSuccess: g, onFailure: {arn: 1, type: 2}}}`,
	`{handler: h.f, destinations: [1], fileSystemConfig: {arn: [x]}, layers: [{Ref: LLambdaLayer}, 5, null], snapStart: x}`,
	`{image: {uri: 7, command: x}, runtimeManagement: {mode: manual, arn: {}}, tracing: 5, onError: [x]}`,
	`{handler: h.f, dependsOn: x, condition: [1], maximumRetryAttempts: null, maximumEventAge: "60", reservedConcurrency: false}`,
	// Events with values of unexpected kinds.
	`{handler: h.f, events: [{sqs: {arn: {Fn::Join: [":", [a, {Ref: B}]]}, filterPatterns: x, batchSize: "5"}}, {sqs: 5}, {sqs: null}, 7, {a: 1, b: 2}]}`,
	`{handler: h.f, events: [{stream: {arn: {Fn::Join: [x]}, type: kinesis, consumer: true, destinations: {onFailure: {arn: {Ref: Q}}}}}, {stream: "arn:x"}, {stream: {arn: []}}]}`,
	`{handler: h.f, events: [{sns: {arn: "a::b:c", redrivePolicy: {deadLetterTargetArn: x}}}, {sns: {topicName: 5, filterPolicy: 1}}, {sns: [x]}, {sns: {redrivePolicy: {deadLetterTargetImport: 1}, topicName: t}}]}`,
	`{handler: h.f, events: [{schedule: {rate: 5, input: {body: "{x"}}}, {schedule: {rate: [], method: scheduler}}, {schedule: {rate: ["\\"], description: "\\", inputTransformer: 1}}]}`,
	`{handler: h.f, events: [{s3: {bucket: b, rules: [5, {}, {prefix: {Ref: P}}]}}, {s3: {}}, {eventBridge: {eventBus: arn, pattern: 1, inputTransformer: {a: 1}, retryPolicy: 2}}, {eventBridge: {eventBus: [1], schedule: x}}]}`,
	`{handler: h.f, events: [{cloudwatchEvent: {event: {a: "\\n"}, input: "\\", inputPath: "\n"}}, {cloudwatchLog: {logGroup: 5}}, {cloudwatchLog: ""}, {cloudwatchLog: {logGroup: "\\", filter: "\\\""}}]}`,
}
