package compiler

import (
	"regexp"
	"strings"

	"github.com/stepform/stepform/compiler/cfn"
	"github.com/stepform/stepform/schema"
)

// strategy computes the permissions one kind of task needs.
type strategy func(c *compiler, task *schema.Node) []permission

// strategies maps a task's normalised Resource to its strategy, as the
// plugin's iamStrategies registry does. Resources not listed take the
// fallback (fallbackPermissions).
var strategies = map[string]strategy{
	"arn:aws:states:::lambda:invoke":                          (*compiler).lambdaInvokePermissions,
	"arn:aws:states:::lambda:invoke.waitForTaskToken":         (*compiler).lambdaInvokePermissions,
	"arn:aws:states:::sqs:sendMessage":                        sqsPermissions,
	"arn:aws:states:::sqs:sendMessage.waitForTaskToken":       sqsPermissions,
	"arn:aws:states:::sns:publish":                            snsPermissions,
	"arn:aws:states:::sns:publish.waitForTaskToken":           snsPermissions,
	"arn:aws:states:::states:startExecution":                  startExecution("states:StartExecution"),
	"arn:aws:states:::states:startExecution.sync":             startExecution("states:StartExecution"),
	"arn:aws:states:::states:startExecution.sync:2":           startExecution("states:StartExecution"),
	"arn:aws:states:::states:startExecution.waitForTaskToken": startExecution("states:StartExecution"),
	"arn:aws:states:::aws-sdk:sfn:startSyncExecution":         startExecution("states:StartSyncExecution"),
	"arn:aws:states:::s3:getObject":                           s3Permissions("s3:GetObject"),
	"arn:aws:states:::aws-sdk:s3:getObject":                   s3Permissions("s3:GetObject"),
	"arn:aws:states:::s3:putObject":                           s3Permissions("s3:PutObject"),
	"arn:aws:states:::aws-sdk:s3:putObject":                   s3Permissions("s3:PutObject"),
	"arn:aws:states:::s3:listObjectsV2":                       s3Permissions("s3:listObjectsV2"),
	"arn:aws:states:::aws-sdk:s3:listObjectsV2":               s3Permissions("s3:listObjectsV2"),
}

func snsPermissions(_ *compiler, task *schema.Node) []permission {
	params := task.Get("Parameters")
	if params.Pair("TopicArn") == nil && params.Pair("TopicArn.$") == nil {
		return nil
	}
	if params.Get("TopicArn.$").Truthy() {
		return []permission{{"sns:Publish", "*"}}
	}
	return []permission{{"sns:Publish", plain(params.Get("TopicArn"))}}
}

var sqsURL = regexp.MustCompile(`https://sqs.(.*).amazonaws.com/(.*)/(.*)`)

func sqsPermissions(c *compiler, task *schema.Node) []permission {
	params := task.Get("Parameters")
	if params.Pair("QueueUrl") == nil && params.Pair("QueueUrl.$") == nil {
		return nil
	}
	if params.Get("QueueUrl.$").Truthy() {
		return []permission{{"sqs:SendMessage", "*"}}
	}
	return []permission{{"sqs:SendMessage", queueURLToArn(params.Get("QueueUrl"))}}
}

// queueURLToArn turns a queue URL into the queue's ARN; a Ref to a queue
// becomes its Arn attribute, other intrinsics "*", and anything else no
// resource at all.
func queueURLToArn(url *schema.Node) any {
	if m := sqsURL.FindStringSubmatch(jsString(url)); m != nil {
		region, account, name := m[1], m[2], m[3]
		return "arn:" + partitionOf(region) + ":sqs:" + region + ":" + account + ":" + name
	}
	if url.IsIntrinsic() {
		if ref := url.Get("Ref"); ref.Truthy() {
			return cfn.GetAtt(jsString(ref), "Arn")
		}
		return "*"
	}
	return []any{}
}

func partitionOf(region string) string {
	switch {
	case strings.HasPrefix(region, "us-gov"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	}
	return "aws"
}

var executionEventsRule = cfn.SubVars(
	"arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule",
	map[string]any{})

// startExecution covers nested state machines: starting them, following
// their executions, and the events rule Step Functions uses for .sync.
func startExecution(action string) strategy {
	return func(c *compiler, task *schema.Node) []permission {
		arn := stateMachineArn(task)
		return []permission{
			{action, arn},
			{"states:DescribeExecution,states:StopExecution", executionArn(arn)},
			{"events:PutTargets,events:PutRule,events:DescribeRule", executionEventsRule},
		}
	}
}

func stateMachineArn(task *schema.Node) any {
	if mode := task.Get("Mode"); mode != nil && mode.Value == "DISTRIBUTED" {
		return cfn.SubVars("arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:"+jsString(task.Get("StateMachineName")), map[string]any{})
	}
	if args := task.Get("Arguments"); args.Truthy() {
		arn := args.Get("StateMachineArn")
		if arn != nil && arn.Kind == schema.String && strings.HasPrefix(strings.TrimSpace(arn.Value), "{%") {
			return "*"
		}
		return plain(arn)
	}
	if params := task.Get("Parameters"); params.Truthy() {
		if params.Get("StateMachineArn.$").Truthy() {
			return "*"
		}
		return plain(params.Get("StateMachineArn"))
	}
	if arn := task.Get("StateMachineArn"); arn.Truthy() {
		return plain(arn)
	}
	return "*"
}

// executionArn is the ARN pattern of a state machine's executions.
func executionArn(smArn any) any {
	switch v := smArn.(type) {
	case string:
		if v == "*" {
			return "*"
		}
		return strings.Replace(v, ":stateMachine:", ":execution:", 1) + ":*"
	case map[string]any:
		switch sub := v["Fn::Sub"].(type) {
		case string:
			return cfn.Sub(strings.Replace(sub, ":stateMachine:", ":execution:", 1) + ":*")
		case []any:
			if len(sub) > 0 {
				tpl, _ := sub[0].(string)
				var vars any
				if len(sub) > 1 {
					vars = sub[1]
				}
				return map[string]any{"Fn::Sub": []any{strings.Replace(tpl, ":stateMachine:", ":execution:", 1) + ":*", vars}}
			}
		}
	}
	return "*"
}

// s3Permissions covers S3 object tasks, including a Map's ItemReader and
// ResultWriter.
func s3Permissions(action string) strategy {
	return func(c *compiler, task *schema.Node) []permission {
		params := task.Get("Parameters")
		if params == nil || params.Kind != schema.Map {
			c.diags.Errorf(task.Pos, "S3 task without Parameters",
				"An S3 integration needs Parameters with at least Bucket (and Key or Prefix).")
			return nil
		}
		bucket := params.Get("Bucket")
		if !bucket.Truthy() {
			bucket = schema.NewString("*", task.Pos)
		}
		key := "*"
		if k := params.Get("Key"); k.Truthy() {
			key = jsString(k)
		}
		if action == "s3:listObjectsV2" {
			arns := s3Arns(bucket, "arn:${AWS::Partition}:s3:::${bucket}", "arn:${AWS::Partition}:s3:::${bucket}/*")
			return []permission{{"s3:Get*", arns}, {"s3:List*", arns}}
		}
		var arn any
		switch prefix := params.Get("Prefix"); {
		case prefix.Truthy():
			arn = s3Arns(bucket, "arn:${AWS::Partition}:s3:::${bucket}/"+jsString(prefix)+"/"+key)[0]
		case bucket.Kind == schema.String && bucket.Value == "*" && key == "*":
			arn = "*"
		default:
			arn = s3Arns(bucket, "arn:${AWS::Partition}:s3:::${bucket}/"+key)[0]
		}
		return []permission{{action, []any{arn}}}
	}
}

func s3Arns(bucket *schema.Node, templates ...string) []any {
	out := make([]any, len(templates))
	for i, tpl := range templates {
		if bucket.IsIntrinsic() {
			out[i] = cfn.SubVars(tpl, map[string]any{"bucket": plain(bucket)})
		} else {
			out[i] = cfn.Sub(strings.ReplaceAll(tpl, "${bucket}", jsString(bucket)))
		}
	}
	return out
}

func init() {
	for _, op := range []struct{ resource, action string }{
		{"dynamodb:updateItem", "UpdateItem"}, {"aws-sdk:dynamodb:updateItem", "UpdateItem"},
		{"aws-sdk:dynamodb:updateItem.waitForTaskToken", "UpdateItem"},
		{"dynamodb:putItem", "PutItem"}, {"aws-sdk:dynamodb:putItem", "PutItem"},
		{"aws-sdk:dynamodb:putItem.waitForTaskToken", "PutItem"},
		{"dynamodb:getItem", "GetItem"}, {"dynamodb:deleteItem", "DeleteItem"},
		{"aws-sdk:dynamodb:updateTable", "UpdateTable"}, {"aws-sdk:dynamodb:query", "Query"},
		{"aws-sdk:dynamodb:scan", "Scan"},
	} {
		strategies["arn:aws:states:::"+op.resource] = dynamoDBPermissions("dynamodb:" + op.action)
	}
	strategies["arn:aws:states:::aws-sdk:dynamodb:batchGetItem"] = dynamoDBBatchPermissions("dynamodb:BatchGetItem")
	strategies["arn:aws:states:::aws-sdk:dynamodb:batchWriteItem"] = dynamoDBBatchPermissions("dynamodb:BatchWriteItem")
}

// isDynamic reports whether key is computed at run time: "key.$" in
// Parameters, or a JSONata expression in Arguments.
func isDynamic(task *schema.Node, key string) bool {
	return task.Get("Parameters").Get(key+".$").Truthy() || isJSONataExpr(task.Get("Arguments").Get(key))
}

func dynamoDBPermissions(action string) strategy {
	return func(c *compiler, task *schema.Node) []permission {
		table := parameterOrArgument(task, "TableName")
		switch {
		case isDynamic(task, "TableName"):
			return []permission{{action, "*"}}
		case isDynamic(task, "IndexName"):
			return []permission{{action, dynamoDBTableArn(schema.NewString(jsString(table)+"/index/*", task.Pos))}}
		case parameterOrArgument(task, "IndexName").Truthy():
			index := parameterOrArgument(task, "IndexName")
			return []permission{{action, dynamoDBTableArn(schema.NewString(jsString(table)+"/index/"+jsString(index), task.Pos))}}
		}
		return []permission{{action, dynamoDBTableArn(table)}}
	}
}

func dynamoDBBatchPermissions(action string) strategy {
	return func(c *compiler, task *schema.Node) []permission {
		if isDynamic(task, "RequestItems") {
			return []permission{{action, "*"}}
		}
		var out []permission
		for _, p := range jsPairs(parameterOrArgument(task, "RequestItems")) {
			out = append(out, permission{action, dynamoDBTableArn(schema.NewString(strings.Replace(p.Key, ".$", "", 1), task.Pos))})
		}
		return out
	}
}

// dynamoDBTableArn is the plugin's getDynamoDBArn.
func dynamoDBTableArn(table *schema.Node) any {
	prefix := []any{"arn", cfn.Ref("AWS::Partition"), "dynamodb", cfn.Ref("AWS::Region"), cfn.Ref("AWS::AccountId")}
	if table.IsIntrinsic() {
		if ref := table.Get("Ref"); ref.Truthy() {
			return cfn.GetAtt(jsString(ref), "Arn")
		}
		if table.Get("Fn::ImportValue").Truthy() {
			return map[string]any{"Fn::Join": []any{":", append(prefix, map[string]any{"Fn::Join": []any{"/", []any{"table", plain(table)}}})}}
		}
	}
	return map[string]any{"Fn::Join": []any{":", append(prefix, "table/"+jsString(table))}}
}

func init() {
	batch := fixed(
		permission{"batch:SubmitJob,batch:DescribeJobs,batch:TerminateJob", "*"},
		permission{"events:PutTargets,events:PutRule,events:DescribeRule", eventsRuleJoin("StepFunctionsGetEventsForBatchJobsRule")})
	ecs := fixed(
		permission{"ecs:RunTask,ecs:StopTask,ecs:DescribeTasks,ecs:TagResource,iam:PassRole", "*"},
		permission{"events:PutTargets,events:PutRule,events:DescribeRule", eventsRuleJoin("StepFunctionsGetEventsForECSTaskRule")})
	glue := fixed(permission{"glue:StartJobRun,glue:GetJobRun,glue:GetJobRuns,glue:BatchStopJobRun", "*"})
	for resource, s := range map[string]strategy{
		"batch:submitJob": batch, "batch:submitJob.sync": batch,
		"ecs:runTask": ecs, "ecs:runTask.sync": ecs, "ecs:runTask.waitForTaskToken": ecs,
		"glue:startJobRun": glue, "glue:startJobRun.sync": glue,
	} {
		strategies["arn:aws:states:::"+resource] = s
	}
}

// fixed is a strategy whose permissions do not depend on the task.
func fixed(perms ...permission) strategy {
	return func(*compiler, *schema.Node) []permission { return perms }
}

// eventsRuleJoin is the ARN of the events rule a .sync integration uses.
func eventsRuleJoin(rule string) any {
	return map[string]any{"Fn::Join": []any{":", []any{
		"arn", cfn.Ref("AWS::Partition"), "events", cfn.Ref("AWS::Region"), cfn.Ref("AWS::AccountId"), "rule/" + rule,
	}}}
}
