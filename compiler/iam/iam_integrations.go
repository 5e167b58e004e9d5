package iam

import (
	"strings"

	"github.com/stepform/stepform/compiler/cfn"
	"github.com/stepform/stepform/compiler/internal/jsvalue"
	"github.com/stepform/stepform/schema"
)

// The integrations below follow the plugin's iamStrategies one for one. In
// plugin mode they read what the plugin reads (mostly Parameters only) and
// report the inputs it throws on; the default mode also reads a JSONata
// state's Arguments and turns values computed at run time ("X.$", "{% %}")
// into wildcards instead of text such as "undefined" or "[object Object]".

func init() {
	for _, op := range []string{"ExecuteStatement", "BatchExecuteStatement", "ListStatements",
		"DescribeStatement", "GetStatementResult", "CancelStatement"} {
		strategies["arn:aws:states:::aws-sdk:redshiftdata:"+strings.ToLower(op[:1])+op[1:]] = redshiftData("redshift-data:" + op)
	}
	strategies["arn:aws:states:::codebuild:startBuild"] = codeBuildPermissions
	strategies["arn:aws:states:::codebuild:startBuild.sync"] = codeBuildPermissions

	emrCreate := fixed(
		permission{"elasticmapreduce:RunJobFlow", "*"}, permission{"iam:PassRole", "*"})
	emr := map[string]strategy{
		"createCluster": emrCreate,
		"createCluster.sync": fixed(
			permission{"elasticmapreduce:RunJobFlow,elasticmapreduce:DescribeCluster,elasticmapreduce:TerminateJobFlows", "*"},
			permission{"iam:PassRole", "*"}),
		"runJobFlow":                      emrCreate,
		"terminateCluster":                fixed(permission{"elasticmapreduce:TerminateJobFlows,elasticmapreduce:DescribeCluster", "*"}),
		"terminateCluster.sync":           fixed(permission{"elasticmapreduce:TerminateJobFlows,elasticmapreduce:DescribeCluster", "*"}),
		"addStep":                         fixed(permission{"elasticmapreduce:AddJobFlowSteps,elasticmapreduce:DescribeStep,elasticmapreduce:CancelSteps", "*"}),
		"addStep.sync":                    fixed(permission{"elasticmapreduce:AddJobFlowSteps,elasticmapreduce:DescribeStep,elasticmapreduce:CancelSteps", "*"}),
		"cancelStep":                      fixed(permission{"elasticmapreduce:CancelSteps", "*"}),
		"setClusterTerminationProtection": fixed(permission{"elasticmapreduce:SetTerminationProtection", "*"}),
		"modifyInstanceFleetByName":       fixed(permission{"elasticmapreduce:ModifyInstanceFleet,elasticmapreduce:ListInstanceFleets", "*"}),
		"modifyInstanceGroupByName":       fixed(permission{"elasticmapreduce:ModifyInstanceGroups,elasticmapreduce:ListInstanceGroups", "*"}),
	}
	for op, s := range emr {
		strategies["arn:aws:states:::elasticmapreduce:"+op] = s
	}

	strategies["arn:aws:states:::sagemaker:createTransformJob.sync"] = sageMakerPermissions
	strategies["arn:aws:states:::bedrock:invokeModel"] = bedrockPermissions
	strategies["arn:aws:states:::events:putEvents"] = putEventsPermissions
	strategies["arn:aws:states:::events:putEvents.waitForTaskToken"] = putEventsPermissions
	strategies["arn:aws:states:::aws-sdk:eventbridge:putTargets"] = putTargetsPermissions
	strategies["arn:aws:states:::aws-sdk:eventbridge:putTargets.waitForTaskToken"] = putTargetsPermissions
	strategies["arn:aws:states:::aws-sdk:scheduler:createSchedule"] = schedulerPermissions("scheduler:CreateSchedule")
	strategies["arn:aws:states:::aws-sdk:scheduler:deleteSchedule"] = schedulerPermissions("scheduler:DeleteSchedule")
	strategies["arn:aws:states:::http:invoke"] = httpInvokePermissions
	strategies["arn:aws:states:::aws-sdk:sesv2:sendEmail"] = fixed(permission{"ses:SendEmail", "*"})

	strategies["arn:aws:states:::athena:startQueryExecution"] = athenaStartQuery(
		"athena:startQueryExecution,athena:getDataCatalog")
	strategies["arn:aws:states:::athena:startQueryExecution.sync"] = athenaStartQuery(
		"athena:startQueryExecution,athena:stopQueryExecution,athena:getQueryExecution,athena:getDataCatalog," +
			"athena:GetWorkGroup,athena:BatchGetQueryExecution,athena:GetQueryResults,athena:ListQueryExecutions")
	for _, op := range []string{"stopQueryExecution", "getQueryExecution", "getQueryResults"} {
		strategies["arn:aws:states:::athena:"+op] = athenaQuery("athena:" + op)
	}
}

// taskInput reads the parameters of a builder that, in the plugin, reads
// Parameters only. The default mode reads Parameters or Arguments as the
// state's query language says.
type taskInput struct {
	c    *emitter
	task *schema.Node
}

func (c *emitter) input(task *schema.Node) taskInput { return taskInput{c, task} }

// get is the value of key (nil when absent).
func (in taskInput) get(key string) *schema.Node {
	if in.c.Quirks.IAMReadsParametersOnly {
		return in.task.Get("Parameters").Get(key)
	}
	return parameterOrArgument(in.task, key)
}

// has reports whether key is given (lodash _.has in the plugin; in the
// default mode, given and not computed at run time).
func (in taskInput) has(key string) bool {
	if in.c.Quirks.IAMReadsParametersOnly {
		return in.task.Get("Parameters").Pair(key) != nil
	}
	return parameterOrArgument(in.task, key) != nil && !isDynamic(in.task, key)
}

// dynamic reports whether key is computed at run time ("key.$" given, or
// a JSONata expression in the default mode).
func (in taskInput) dynamic(key string) bool {
	if in.c.Quirks.IAMReadsParametersOnly {
		return in.task.Get("Parameters").Pair(key+".$") != nil
	}
	return parameterOrArgument(in.task, key+".$") != nil || isDynamic(in.task, key)
}

// part is the text of key inside an ARN: String(value) in the plugin,
// arnPart in the default mode.
func (in taskInput) part(key, name string, vars map[string]any) string {
	if in.c.Quirks.IAMNamesAsText {
		return jsvalue.String(in.get(key))
	}
	return arnPart(in.task, key, name, vars)
}

// noParameters reports a state the plugin's builder throws on because it
// has no Parameters (plugin mode only).
func (in taskInput) noParameters(service string) bool {
	params := in.task.Get("Parameters")
	if params != nil && params.Kind != schema.Null {
		return false
	}
	return in.c.pluginCrashes(in.task.Pos, "The plugin's "+service+" permissions read Parameters, and this state has none (a JSONata state's Arguments are not read)")
}

const (
	redshiftCluster   = "arn:${AWS::Partition}:redshift:${AWS::Region}:${AWS::AccountId}:"
	redshiftWorkgroup = "arn:${AWS::Partition}:redshift-serverless:${AWS::Region}:${AWS::AccountId}:workgroup/*"
	secretPrefix      = "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:"
)

// redshiftData covers the Redshift Data API: running statements needs the
// cluster or workgroup and credentials (a secret, a database user, or IAM);
// the other calls are allowed on "*".
func redshiftData(action string) strategy {
	return func(c *emitter, task *schema.Node) []permission {
		if action != "redshift-data:ExecuteStatement" && action != "redshift-data:BatchExecuteStatement" {
			return []permission{{action, "*"}}
		}
		in := c.input(task)
		vars := map[string]any{}
		dbName := "*"
		if in.has("Database") {
			dbName = in.part("Database", "database", vars)
		}
		var workgroupArn any
		clusterName := "*"
		if c.Quirks.IAMNamesAsText {
			clusterName = "undefined"
		}
		switch {
		case in.has("WorkgroupName"):
			wg := in.get("WorkgroupName")
			switch {
			case wg == nil || wg.Kind != schema.String:
				if c.pluginCrashes(task.Pos, "The plugin calls startsWith on Parameters.WorkgroupName, which is not a string here") {
					return nil
				}
				workgroupArn = cfn.Sub(redshiftWorkgroup)
			case strings.HasPrefix(wg.Value, "arn:"):
				workgroupArn = wg.Value
			default:
				workgroupArn = cfn.Sub(redshiftWorkgroup)
			}
		case in.dynamic("WorkgroupName"):
			workgroupArn = cfn.Sub(redshiftWorkgroup)
		case in.has("ClusterIdentifier"):
			clusterName = in.part("ClusterIdentifier", "cluster", vars)
		default:
			clusterName = "*"
		}

		var secretArn any
		dbUser, hasDBUser := "", false
		switch {
		case in.has("SecretArn"):
			secret := in.get("SecretArn")
			switch {
			case secret == nil || secret.Kind != schema.String:
				if c.pluginCrashes(task.Pos, "The plugin calls startsWith on Parameters.SecretArn, which is not a string here") {
					return nil
				}
				secretArn = jsvalue.Plain(secret) // an intrinsic naming the secret's ARN
			case strings.HasPrefix(secret.Value, "arn:"):
				secretArn = secret.Value
			default:
				secretArn = cfn.Sub(secretPrefix + secret.Value + "*")
			}
		case in.dynamic("SecretArn"):
			secretArn = cfn.Sub(secretPrefix + "*")
		case in.has("DbUser"):
			hasDBUser = in.get("DbUser").Truthy()
			dbUser = in.part("DbUser", "dbUser", vars)
		case in.dynamic("DbUser"):
			dbUser, hasDBUser = "*", true
		}

		resource := workgroupArn
		if resource == nil {
			resource = subst(redshiftCluster+"cluster:"+clusterName, vars)
		}
		perms := []permission{{action, resource}}
		switch {
		case secretArn != nil:
			perms = append(perms, permission{"secretsmanager:GetSecretValue", secretArn})
		case hasDBUser:
			perms = append(perms, permission{"redshift:GetClusterCredentials", []any{
				subst(redshiftCluster+"dbuser:"+clusterName+"/"+dbUser, vars),
				subst(redshiftCluster+"dbname:"+clusterName+"/"+dbName, vars),
			}})
		case workgroupArn != nil:
			perms = append(perms, permission{"redshift-serverless:GetCredentials", workgroupArn})
		default:
			perms = append(perms, permission{"redshift:GetClusterCredentialsWithIAM",
				subst(redshiftCluster+"dbname:"+clusterName+"/"+dbName, vars)})
		}
		return perms
	}
}

func codeBuildPermissions(c *emitter, task *schema.Node) []permission {
	in := c.input(task)
	if in.noParameters("CodeBuild") {
		return nil
	}
	vars := map[string]any{}
	project := in.part("ProjectName", "projectName", vars)
	return []permission{
		{"codebuild:StartBuild,codebuild:StopBuild,codebuild:BatchGetBuilds", cfn.SubVars(
			"arn:${AWS::Partition}:codebuild:${AWS::Region}:${AWS::AccountId}:project/"+project, vars)},
		{"events:PutTargets,events:PutRule,events:DescribeRule", cfn.SubVars(
			"arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/StepFunctionsGetEventForCodeBuildStartBuildRule", map[string]any{})},
	}
}

func sageMakerPermissions(c *emitter, task *schema.Node) []permission {
	in := c.input(task)
	if in.noParameters("SageMaker") {
		return nil
	}
	vars := map[string]any{}
	job := ""
	if c.Quirks.IAMNamesAsText {
		if name := in.get("TransformJobName"); name.Truthy() {
			job = jsvalue.String(name)
		}
	} else if job = in.part("TransformJobName", "transformJobName", vars); job == "*" {
		job = ""
	}
	return []permission{
		{"sagemaker:CreateTransformJob,sagemaker:DescribeTransformJob,sagemaker:StopTransformJob", cfn.SubVars(
			"arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:transform-job/"+job+"*", vars)},
		{"sagemaker:ListTags", "*"},
		{"events:PutTargets,events:PutRule,events:DescribeRule", cfn.SubVars(
			"arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/StepFunctionsGetEventsForSageMakerTransformJobsRule", map[string]any{})},
	}
}

func bedrockPermissions(c *emitter, task *schema.Node) []permission {
	in := c.input(task)
	if in.noParameters("Bedrock") {
		return nil
	}
	model := in.get("ModelId")
	switch {
	case model != nil && model.Kind == schema.String && (c.Quirks.IAMRunTimeValuesAsText || !isJSONataExpr(model)):
		if strings.HasPrefix(model.Value, "arn:") {
			return []permission{{"bedrock:InvokeModel", model.Value}}
		}
		return []permission{{"bedrock:InvokeModel", cfn.SubVars(
			"arn:${AWS::Partition}:bedrock:${AWS::Region}::foundation-model/"+model.Value, map[string]any{})}}
	case c.pluginCrashes(task.Pos, "The plugin calls startsWith on Parameters.ModelId, which is not a string here"):
		return nil
	}
	// Computed at run time, or an intrinsic that may give a model ID or an
	// ARN (inference profile, provisioned model): any model in the region.
	return []permission{{"bedrock:InvokeModel", cfn.SubVars("arn:${AWS::Partition}:bedrock:${AWS::Region}:*", map[string]any{})}}
}

func eventBusArn(bus any) any {
	return cfn.SubVars("arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/${eventBus}",
		map[string]any{"eventBus": bus})
}

// putEventsPermissions allows events:PutEvents on each event bus the
// entries name (the default bus when they name none).
func putEventsPermissions(c *emitter, task *schema.Node) []permission {
	entries := parameterOrArgument(task, "Entries")
	var buses []any
	add := func(bus any) {
		for _, b := range buses {
			if equalValues(b, bus) {
				return
			}
		}
		buses = append(buses, bus)
	}
	if !c.Quirks.IAMRunTimeValuesAsText {
		if isDynamic(task, "Entries") || parameterOrArgument(task, "Entries.$") != nil ||
			entries == nil || entries.Kind != schema.List {
			return []permission{{"events:PutEvents", []any{eventBusArn("*")}}}
		}
		for _, e := range entries.Items {
			name := e.Get("EventBusName")
			switch {
			case e.Get("EventBusName.$") != nil || isJSONataExpr(name):
				add(eventBusArn("*"))
			case name != nil && name.Kind == schema.String && strings.HasPrefix(name.Value, "arn:"):
				add(name.Value)
			case name.Truthy():
				add(eventBusArn(jsvalue.Plain(name)))
			default:
				add(eventBusArn("default"))
			}
		}
		return []permission{{"events:PutEvents", orEmpty(buses)}}
	}
	switch {
	case entries != nil && entries.Kind == schema.String:
		// for…of over a string visits its characters, none of which
		// names a bus.
		if entries.Value != "" {
			add("default")
		}
	case entries != nil && entries.Kind == schema.List:
		for _, e := range entries.Items {
			if e.Kind == schema.Null {
				c.pluginCrashes(e.Pos, "The plugin reads EventBusName of every entry, and this entry is null")
				return nil
			}
			if name := e.Get("EventBusName"); name.Truthy() {
				add(jsvalue.Plain(name))
			} else {
				add("default")
			}
		}
	default:
		c.pluginCrashes(task.Pos, "The plugin iterates Parameters.Entries (or Arguments.Entries), which is missing or not a list here (Entries.$ is not read)")
		return nil
	}
	out := make([]any, len(buses))
	for i, b := range buses {
		out[i] = eventBusArn(b)
	}
	return []permission{{"events:PutEvents", out}}
}

func orEmpty(l []any) []any {
	if l == nil {
		return []any{}
	}
	return l
}

func putTargetsPermissions(c *emitter, task *schema.Node) []permission {
	if task.Get("Parameters").Get("Rule.$").Truthy() || isJSONataExpr(task.Get("Arguments").Get("Rule")) {
		return []permission{{"events:PutTargets", "*"}}
	}
	rule := parameterOrArgument(task, "Rule")
	bus := parameterOrArgument(task, "EventBusName")
	vars := map[string]any{}
	if rule != nil {
		vars["ruleName"] = jsvalue.Plain(rule)
	}
	tpl := "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/${ruleName}"
	if !c.Quirks.IAMRunTimeValuesAsText && isDynamic(task, "EventBusName") {
		// The rule on the default bus, or on any other.
		return []permission{{"events:PutTargets", []any{cfn.SubVars(tpl, vars), cfn.SubVars(
			"arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/*/${ruleName}", vars)}}}
	}
	if bus.Truthy() {
		tpl = "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/${eventBusName}/${ruleName}"
		vars["eventBusName"] = jsvalue.Plain(bus)
	}
	return []permission{{"events:PutTargets", cfn.SubVars(tpl, vars)}}
}

func schedulerPermissions(action string) strategy {
	return func(c *emitter, task *schema.Node) []permission {
		var group any = "default"
		if g := parameterOrArgument(task, "GroupName"); g.Truthy() {
			group = jsvalue.Plain(g)
		}
		if !c.Quirks.IAMRunTimeValuesAsText && isDynamic(task, "GroupName") {
			group = "*"
		}
		perms := []permission{{action, cfn.SubVars(
			"arn:${AWS::Partition}:scheduler:${AWS::Region}:${AWS::AccountId}:schedule/${scheduleGroupName}/*",
			map[string]any{"scheduleGroupName": group})}}
		if role := parameterOrArgument(task, "Target").Get("RoleArn"); role.Truthy() {
			perms = append(perms, permission{"iam:PassRole", jsvalue.Plain(role)})
		}
		return perms
	}
}

func httpInvokePermissions(c *emitter, task *schema.Node) []permission {
	auth := task.Get("Parameters").Get("Authentication")
	if !c.Quirks.IAMReadsParametersOnly {
		auth = parameterOrArgument(task, "Authentication")
	}
	var connection any = "*"
	if arn := auth.Get("ConnectionArn"); arn.Truthy() && (c.Quirks.IAMRunTimeValuesAsText || !isJSONataExpr(arn)) {
		connection = jsvalue.Plain(arn)
	}
	return []permission{
		{"states:InvokeHTTPEndpoint", "*"},
		{"events:RetrieveConnectionCredentials", connection},
		{"secretsmanager:GetSecretValue,secretsmanager:DescribeSecret",
			cfn.Sub("arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:events!connection/*")},
	}
}

// athenaS3 is where Athena reads and writes query data. The plugin writes
// the aws partition; the default mode writes the stack's.
func (c *emitter) athenaS3() any {
	if c.Quirks.AthenaS3AWSPartition {
		return "arn:aws:s3:::*"
	}
	return cfn.Sub("arn:${AWS::Partition}:s3:::*")
}

func athenaWorkGroupArn(name string) any {
	return cfn.SubVars("arn:${AWS::Partition}:athena:${AWS::Region}:${AWS::AccountId}:workgroup/"+name, map[string]any{})
}

func athenaStartQuery(actions string) strategy {
	return func(c *emitter, task *schema.Node) []permission {
		workGroup := "*"
		wg := task.Get("Parameters").Get("WorkGroup")
		if !c.Quirks.IAMReadsParametersOnly {
			wg = parameterOrArgument(task, "WorkGroup")
		}
		if wg != nil && wg.Kind == schema.String && wg.Value != "" && (c.Quirks.IAMRunTimeValuesAsText || !isJSONataExpr(wg)) {
			workGroup = wg.Value
		}
		glue := []any{}
		for _, r := range []string{"catalog", "database/*", "table/*", "userDefinedFunction/*"} {
			glue = append(glue, cfn.SubVars("arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:"+r, map[string]any{}))
		}
		return []permission{
			{actions, []any{athenaWorkGroupArn(workGroup), cfn.SubVars(
				"arn:${AWS::Partition}:athena:${AWS::Region}:${AWS::AccountId}:datacatalog/*", map[string]any{})}},
			{"s3:GetBucketLocation,s3:GetObject,s3:ListBucket,s3:ListBucketMultipartUploads," +
				"s3:ListMultipartUploadParts,s3:AbortMultipartUpload,s3:CreateBucket,s3:PutObject", c.athenaS3()},
			{"glue:CreateDatabase,glue:GetDatabase,glue:GetDatabases,glue:UpdateDatabase,glue:DeleteDatabase," +
				"glue:CreateTable,glue:UpdateTable,glue:GetTable,glue:GetTables,glue:DeleteTable,glue:BatchDeleteTable," +
				"glue:BatchCreatePartition,glue:CreatePartition,glue:UpdatePartition,glue:GetPartition,glue:GetPartitions," +
				"glue:BatchGetPartition,glue:DeletePartition,glue:BatchDeletePartition", glue},
			{"lakeformation:GetDataAccess", "*"},
		}
	}
}

func athenaQuery(action string) strategy {
	return func(c *emitter, task *schema.Node) []permission {
		perms := []permission{{action, athenaWorkGroupArn("*")}}
		if action == "athena:getQueryResults" {
			perms = append(perms, permission{"s3:GetObject", c.athenaS3()})
		}
		return perms
	}
}
