package iam

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/stepform/stepform/compiler/cfn"
	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/internal/lazyre"
	"github.com/stepform/stepform/schema"
)

// strategy computes the permissions one kind of task needs.
type strategy func(c *emitter, task *schema.Node) []permission

// strategies maps a task's normalised Resource to its strategy, as the
// plugin's iamStrategies registry does. Resources not listed take the
// fallback (fallbackPermissions).
var strategies = map[string]strategy{
	"arn:aws:states:::lambda:invoke":                          (*emitter).lambdaInvokePermissions,
	"arn:aws:states:::lambda:invoke.waitForTaskToken":         (*emitter).lambdaInvokePermissions,
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

func snsPermissions(c *emitter, task *schema.Node) []permission {
	topic, dynamic, ok := c.readTarget(task, "TopicArn")
	switch {
	case !ok:
		return nil
	case dynamic:
		return []permission{{"sns:Publish", "*"}}
	}
	return []permission{{"sns:Publish", jsvalue.Plain(topic)}}
}

// readTarget reads the parameter that names an SQS queue or SNS topic. The
// plugin reads Parameters only (a JSONata state's Arguments give no
// permission); the default mode also reads Arguments. ok is false when the
// parameter is absent; dynamic when it is computed at run time.
func (c *emitter) readTarget(task *schema.Node, key string) (value *schema.Node, dynamic, ok bool) {
	params := task.Get("Parameters")
	if c.Quirks.IAMReadsParametersOnly {
		if params.Pair(key) == nil && params.Pair(key+".$") == nil {
			return nil, false, false
		}
		return params.Get(key), params.Get(key + ".$").Truthy(), true
	}
	if isDynamic(task, key) || parameterOrArgument(task, key+".$") != nil {
		return nil, true, true
	}
	value = parameterOrArgument(task, key)
	return value, false, value != nil
}

// sqsURL is the plugin's queue URL pattern; "." here, as in JavaScript,
// matches anything but a line terminator.
var sqsURL = lazyre.New("https://sqs[^\n\r\u2028\u2029]([^\n\r\u2028\u2029]*)[^\n\r\u2028\u2029]amazonaws[^\n\r\u2028\u2029]com/([^\n\r\u2028\u2029]*)/([^\n\r\u2028\u2029]*)")

// sqsURLChina is the URL form of the China regions, which the plugin does
// not recognise (the default mode does).
var sqsURLChina = lazyre.New(`^https://sqs\.([a-z0-9-]+)\.amazonaws\.com\.cn/([^/]+)/([^/]+)$`)

func sqsPermissions(c *emitter, task *schema.Node) []permission {
	url, dynamic, ok := c.readTarget(task, "QueueUrl")
	switch {
	case !ok:
		return nil
	case dynamic:
		return []permission{{"sqs:SendMessage", "*"}}
	}
	return []permission{{"sqs:SendMessage", c.queueURLToArn(url)}}
}

// queueURLToArn turns a queue URL into the queue's ARN; a Ref to a queue
// becomes its Arn attribute, other intrinsics "*", and anything else no
// resource at all.
func (c *emitter) queueURLToArn(url *schema.Node) any {
	text := jsvalue.String(url)
	if url != nil && url.Kind == schema.String && !c.Quirks.SQSChinaURLsUnparsed {
		if m := sqsURLChina.FindStringSubmatch(text); m != nil {
			return "arn:aws-cn:sqs:" + m[1] + ":" + m[2] + ":" + m[3]
		}
	}
	if m := sqsURL.FindStringSubmatch(text); m != nil {
		region, account, name := m[1], m[2], m[3]
		return "arn:" + partitionOf(region) + ":sqs:" + region + ":" + account + ":" + name
	}
	if url.IsIntrinsic() {
		if ref := url.Get("Ref"); ref.Truthy() {
			return map[string]any{"Fn::GetAtt": []any{jsvalue.Plain(ref), "Arn"}}
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

// executionEventsRule is the events rule Step Functions uses for .sync
// executions, a value of each role's own.
func executionEventsRule() any {
	return cfn.SubVars(
		"arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule",
		map[string]any{})
}

// startExecution covers nested state machines: starting them, following
// their executions, and the events rule Step Functions uses for .sync.
func startExecution(action string) strategy {
	return func(c *emitter, task *schema.Node) []permission {
		arn := stateMachineArn(task)
		execution, ok := executionArn(arn)
		if !ok && c.pluginCrashes(task.Pos, "The plugin cannot read this task's StateMachineArn (it is missing, null or an Fn::Sub it cannot take apart)") {
			return nil
		}
		if arn == nil && !c.Quirks.ReproducesCrashes {
			arn = "*" // an Arguments JSONata expression, or no StateMachineArn at all
		}
		return []permission{
			{action, arn},
			{"states:DescribeExecution,states:StopExecution", execution},
			{"events:PutTargets,events:PutRule,events:DescribeRule", executionEventsRule()},
		}
	}
}

func stateMachineArn(task *schema.Node) any {
	if mode := task.Get("Mode"); mode != nil && mode.Value == "DISTRIBUTED" {
		return cfn.SubVars("arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:"+jsvalue.String(task.Get("StateMachineName")), map[string]any{})
	}
	if args := task.Get("Arguments"); args.Truthy() {
		arn := args.Get("StateMachineArn")
		if isJSONataExpr(arn) {
			return "*"
		}
		return jsvalue.Plain(arn)
	}
	if params := task.Get("Parameters"); params.Truthy() {
		if params.Get("StateMachineArn.$").Truthy() {
			return "*"
		}
		return jsvalue.Plain(params.Get("StateMachineArn"))
	}
	if arn := task.Get("StateMachineArn"); arn.Truthy() {
		return jsvalue.Plain(arn)
	}
	return "*"
}

// executionArn is the ARN pattern of a state machine's executions: the
// state machine's ARN with :stateMachine: replaced, or "*" when it cannot
// be derived. ok is false where the plugin throws (no ARN at all, or an
// Fn::Sub that is neither a string nor a list starting with one); the
// default mode then uses "*".
func executionArn(smArn any) (any, bool) {
	switch v := smArn.(type) {
	case nil:
		return "*", false
	case string:
		if v == "*" {
			return "*", true
		}
		return strings.Replace(v, ":stateMachine:", ":execution:", 1) + ":*", true
	case map[string]any:
		switch sub := v["Fn::Sub"].(type) {
		case nil, bool:
			return "*", sub != true
		case string:
			if sub == "" {
				return "*", true
			}
			return cfn.Sub(strings.Replace(sub, ":stateMachine:", ":execution:", 1) + ":*"), true
		case json.Number:
			return "*", sub == "0"
		case []any:
			var tpl any
			if len(sub) > 0 {
				tpl = sub[0]
			}
			s, ok := tpl.(string)
			if !ok {
				return "*", false
			}
			var vars any
			if len(sub) > 1 {
				vars = sub[1]
			}
			return map[string]any{"Fn::Sub": []any{strings.Replace(s, ":stateMachine:", ":execution:", 1) + ":*", vars}}, true
		default:
			return "*", false
		}
	}
	return "*", true
}

// s3Permissions covers S3 object tasks, including a Map's ItemReader and
// ResultWriter.
func s3Permissions(action string) strategy {
	return func(c *emitter, task *schema.Node) []permission {
		if c.Quirks.IAMNamesAsText {
			return c.s3PluginPermissions(action, task)
		}
		vars := map[string]any{}
		bucket := arnPart(task, "Bucket", "bucket", vars)
		if action == "s3:listObjectsV2" {
			arns := []any{
				subst("arn:${AWS::Partition}:s3:::"+bucket, vars),
				subst("arn:${AWS::Partition}:s3:::"+bucket+"/*", vars),
			}
			return []permission{{"s3:Get*", arns}, {"s3:List*", arns}}
		}
		key := arnPart(task, "Key", "key", vars)
		if prefix := parameterOrArgument(task, "Prefix"); prefix.Truthy() {
			return []permission{{action, []any{subst("arn:${AWS::Partition}:s3:::"+bucket+"/"+arnPart(task, "Prefix", "prefix", vars)+"/"+key, vars)}}}
		}
		if bucket == "*" && key == "*" {
			return []permission{{action, []any{"*"}}}
		}
		return []permission{{action, []any{subst("arn:${AWS::Partition}:s3:::"+bucket+"/"+key, vars)}}}
	}
}

// s3PluginPermissions is the plugin's S3 builder, which reads Parameters
// only and throws when a state has none.
func (c *emitter) s3PluginPermissions(action string, task *schema.Node) []permission {
	params := task.Get("Parameters")
	if (params == nil || params.Kind == schema.Null) &&
		c.pluginCrashes(task.Pos, "The plugin's S3 permissions read Parameters.Bucket, and this state has no Parameters (a JSONata state's Arguments are not read)") {
		return nil
	}
	bucket := params.Get("Bucket")
	if !bucket.Truthy() {
		bucket = schema.NewString("*", task.Pos)
	}
	k := params.Get("Key")
	key := "*"
	if k.Truthy() {
		key = jsvalue.String(k)
	}
	keyIsStar := !k.Truthy() || (k.Kind == schema.String && k.Value == "*")
	if action == "s3:listObjectsV2" {
		arns := s3Arns(bucket, "arn:${AWS::Partition}:s3:::${bucket}", "arn:${AWS::Partition}:s3:::${bucket}/*")
		return []permission{{"s3:Get*", arns}, {"s3:List*", arns}}
	}
	var arn any
	switch prefix := params.Get("Prefix"); {
	case prefix.Truthy():
		arn = s3Arns(bucket, "arn:${AWS::Partition}:s3:::${bucket}/"+jsvalue.String(prefix)+"/"+key)[0]
	case bucket.Kind == schema.String && bucket.Value == "*" && keyIsStar:
		arn = "*"
	default:
		arn = s3Arns(bucket, "arn:${AWS::Partition}:s3:::${bucket}/"+key)[0]
	}
	return []permission{{action, []any{arn}}}
}

func s3Arns(bucket *schema.Node, templates ...string) []any {
	out := make([]any, len(templates))
	for i, tpl := range templates {
		if bucket.IsIntrinsic() {
			out[i] = cfn.SubVars(tpl, map[string]any{"bucket": jsvalue.Plain(bucket)})
		} else {
			out[i] = cfn.Sub(jsvalue.ReplaceAll(tpl, "${bucket}", jsvalue.String(bucket)))
		}
	}
	return out
}

// arnPart is how the default mode writes a parameter into an ARN: a string
// as written, "*" for a value computed at run time or absent, and a
// ${name} Fn::Sub variable (added to vars) for an intrinsic function,
// where the plugin writes "[object Object]".
func arnPart(task *schema.Node, key, name string, vars map[string]any) string {
	v := parameterOrArgument(task, key)
	switch {
	case isDynamic(task, key) || !v.Truthy():
		return "*"
	case v.IsIntrinsic():
		vars[name] = jsvalue.Plain(v)
		return "${" + name + "}"
	case v.Kind == schema.Map || v.Kind == schema.List:
		return "*"
	}
	return jsvalue.String(v)
}

// subst is Fn::Sub of tpl, with those of vars that tpl uses, if any.
func subst(tpl string, vars map[string]any) any {
	used := map[string]any{}
	for name, v := range vars {
		if strings.Contains(tpl, "${"+name+"}") {
			used[name] = v
		}
	}
	if len(used) == 0 {
		return cfn.Sub(tpl)
	}
	return cfn.SubVars(tpl, used)
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
	return func(c *emitter, task *schema.Node) []permission {
		table := parameterOrArgument(task, "TableName")
		index := parameterOrArgument(task, "IndexName")
		switch {
		case isDynamic(task, "TableName"):
			return []permission{{action, "*"}}
		case !c.Quirks.IAMTableNamesAsText && (table == nil || table.Kind == schema.Null):
			c.Diags.Errorf(task.Pos, "DynamoDB task without TableName",
				"%s needs Parameters.TableName (or Arguments.TableName for JSONata); without it the role would name table \"undefined\".", action)
			return nil
		case !c.Quirks.IAMTableNamesAsText:
			var indexPart any
			switch {
			case isDynamic(task, "IndexName"):
				indexPart = "*"
			case index.Truthy():
				indexPart = jsvalue.Plain(index)
			}
			return []permission{{action, dynamoDBTableArnFixed(table, indexPart)}}
		case isDynamic(task, "IndexName"):
			return []permission{{action, dynamoDBTableArn(schema.NewString(jsvalue.String(table)+"/index/*", task.Pos))}}
		case index.Truthy():
			return []permission{{action, dynamoDBTableArn(schema.NewString(jsvalue.String(table)+"/index/"+jsvalue.String(index), task.Pos))}}
		}
		return []permission{{action, dynamoDBTableArn(table)}}
	}
}

func dynamoDBBatchPermissions(action string) strategy {
	return func(c *emitter, task *schema.Node) []permission {
		if isDynamic(task, "RequestItems") {
			return []permission{{action, "*"}}
		}
		items := parameterOrArgument(task, "RequestItems")
		var keys []string
		switch {
		case items == nil || items.Kind == schema.Null:
			c.Diags.Errorf(task.Pos, "DynamoDB batch task without RequestItems",
				"%s needs Parameters.RequestItems (or Arguments.RequestItems for JSONata) naming its tables; serverless-step-functions crashes without it.", action)
			return nil
		case items.Kind == schema.Map:
			for _, p := range jsvalue.Pairs(items) {
				keys = append(keys, p.Key)
			}
		case items.Kind == schema.String && c.Quirks.IAMTableNamesAsText:
			for i := range utf16Len(items.Value) { // Object.keys of a string: its indices
				keys = append(keys, strconv.Itoa(i))
			}
		case items.Kind == schema.List && c.Quirks.IAMTableNamesAsText:
			for i := range items.Items {
				keys = append(keys, strconv.Itoa(i))
			}
		}
		var out []permission
		for _, k := range keys {
			table := schema.NewString(strings.Replace(k, ".$", "", 1), task.Pos)
			if c.Quirks.IAMTableNamesAsText {
				out = append(out, permission{action, dynamoDBTableArn(table)})
			} else {
				out = append(out, permission{action, dynamoDBTableArnFixed(table, nil)})
			}
		}
		return out
	}
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

func dynamoDBArnPrefix() []any {
	return []any{"arn", cfn.Ref("AWS::Partition"), "dynamodb", cfn.Ref("AWS::Region"), cfn.Ref("AWS::AccountId")}
}

// dynamoDBTableArn is the plugin's getDynamoDBArn.
func dynamoDBTableArn(table *schema.Node) any {
	if table.IsIntrinsic() {
		if ref := table.Get("Ref"); ref.Truthy() {
			return map[string]any{"Fn::GetAtt": []any{jsvalue.Plain(ref), "Arn"}}
		}
		if table.Get("Fn::ImportValue").Truthy() {
			return map[string]any{"Fn::Join": []any{":", append(dynamoDBArnPrefix(), map[string]any{"Fn::Join": []any{"/", []any{"table", jsvalue.Plain(table)}}})}}
		}
	}
	return map[string]any{"Fn::Join": []any{":", append(dynamoDBArnPrefix(), "table/"+jsvalue.String(table))}}
}

// dynamoDBTableArnFixed is the default mode's table (or index) ARN. Where
// the plugin writes "table/[object Object]" (a table given as Fn::GetAtt,
// Fn::Sub or another intrinsic, or a Ref together with IndexName) or
// "table/arn:aws:dynamodb:…" (a table given by ARN), it builds the ARN
// CloudFormation will resolve. index is nil (no index), "*", a string or
// an intrinsic.
func dynamoDBTableArnFixed(table *schema.Node, index any) any {
	withIndex := func(arn any) any {
		if index == nil {
			return arn
		}
		return map[string]any{"Fn::Join": []any{"/", []any{arn, "index", index}}}
	}
	switch {
	case table.Get("Ref").Truthy() && table.IsIntrinsic():
		return withIndex(map[string]any{"Fn::GetAtt": []any{jsvalue.Plain(table.Get("Ref")), "Arn"}})
	case table.Get("Fn::GetAtt") != nil && table.IsIntrinsic():
		ga := jsvalue.Plain(table.Get("Fn::GetAtt"))
		if s, ok := ga.(string); ok { // the "Table.Arn" form
			id, attr, _ := strings.Cut(s, ".")
			ga = []any{id, attr}
		}
		return withIndex(map[string]any{"Fn::GetAtt": ga})
	case table.IsIntrinsic():
		name := []any{"table", jsvalue.Plain(table)}
		if index != nil {
			name = append(name, "index", index)
		}
		return map[string]any{"Fn::Join": []any{":", append(dynamoDBArnPrefix(), map[string]any{"Fn::Join": []any{"/", name}})}}
	case table != nil && table.Kind == schema.String && strings.HasPrefix(table.Value, "arn:"):
		if index == nil {
			return table.Value
		}
		if s, ok := index.(string); ok {
			return table.Value + "/index/" + s
		}
		return withIndex(table.Value)
	}
	if index == nil {
		return dynamoDBTableArn(table)
	}
	if s, ok := index.(string); ok {
		return dynamoDBTableArn(schema.NewString(jsvalue.String(table)+"/index/"+s, table.Pos))
	}
	return map[string]any{"Fn::Join": []any{":", append(dynamoDBArnPrefix(),
		map[string]any{"Fn::Join": []any{"/", []any{"table", jsvalue.String(table), "index", index}}})}}
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

// fixed is a strategy whose permissions do not depend on the task. Each
// role gets copies: the template's values are each held once.
func fixed(perms ...permission) strategy {
	return func(*emitter, *schema.Node) []permission {
		out := make([]permission, len(perms))
		for i, p := range perms {
			out[i] = permission{p.action, cfn.Clone(p.resource)}
		}
		return out
	}
}

// eventsRuleJoin is the ARN of the events rule a .sync integration uses.
func eventsRuleJoin(rule string) any {
	return map[string]any{"Fn::Join": []any{":", []any{
		"arn", cfn.Ref("AWS::Partition"), "events", cfn.Ref("AWS::Region"), cfn.Ref("AWS::AccountId"), "rule/" + rule,
	}}}
}
