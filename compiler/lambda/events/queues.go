package events

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/stepform/stepform/schema"
	"github.com/stepform/stepform/schema/diag"
)

// sqs compiles sqs events: one event source mapping each, and one role
// statement over every queue.
func (c *compiler) sqs() {
	var queues []any
	for _, fn := range c.fns {
		for _, ev := range fn.EventList {
			e := ev.SQS
			if e == nil {
				continue
			}
			arn := e.ARN
			name, ok := intrinsicName(arn, e.ARNArgs)
			switch {
			case ok:
			case e.ARNArgs.Join != nil:
				if name, ok = lastJoinPart(e.ARNArgs); !ok {
					c.diags.Errorf(arn.Pos, fmt.Sprintf("function %q: the sqs event needs the queue's ARN", fn.Key),
						"The framework names the mapping after the last element of Fn::Join, which must then be a string (the queue's name).")
					continue
				}
			case arn != nil && arn.Kind == schema.String:
				name = arn.Value[strings.LastIndex(arn.Value, ":")+1:]
			default:
				c.diags.Errorf(posOf(arn, ev.KeyPos), fmt.Sprintf("function %q: the sqs event needs the queue's ARN", fn.Key),
					"Give arn: as an ARN string, Fn::GetAtt [Queue, Arn], Fn::ImportValue or Fn::Join; the framework fails on other forms.")
				continue
			}
			props := map[string]any{"BatchSize": json.Number("10"), "EventSourceArn": value(arn), "FunctionName": fn.Target, "Enabled": true}
			if e.BatchSize.Truthy() {
				props["BatchSize"] = value(e.BatchSize)
			}
			if e.Enabled != nil {
				props["Enabled"] = value(e.Enabled)
			}
			if e.MaximumBatchingWindow != nil {
				props["MaximumBatchingWindowInSeconds"] = value(e.MaximumBatchingWindow)
			}
			if e.FunctionResponseType != nil {
				props["FunctionResponseTypes"] = []any{value(e.FunctionResponseType)}
			}
			if e.FilterPatterns.Truthy() && e.FilterPatterns.Kind == schema.List {
				props["FilterCriteria"] = filterCriteria(e.FilterPatterns)
			}
			if e.MaximumConcurrency.Truthy() {
				props["ScalingConfig"] = map[string]any{"MaximumConcurrency": value(e.MaximumConcurrency)}
			}
			queues = append(queues, value(arn))
			id := norm(fn.Key) + "EventSourceMappingSQS" + alnum(name)
			c.own(fn, id)
			c.merge(id, map[string]any{
				"Type": "AWS::Lambda::EventSourceMapping", "DependsOn": mappingDependsOn(fn), "Properties": props})
		}
	}
	if len(queues) > 0 {
		c.tpl.AddRoleStatement(map[string]any{"Effect": "Allow",
			"Action": []any{"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"}, "Resource": queues})
	}
}

// posOf is n's position, or def when n is absent.
func posOf(n *schema.Node, def diag.Pos) diag.Pos {
	if n == nil {
		return def
	}
	return n.Pos
}

// streams compiles DynamoDB and Kinesis stream events: an event source
// mapping each (and a stream consumer when asked), and per function the
// role statements for the streams, consumers and failure destinations.
func (c *compiler) streams() {
	for _, fn := range c.fns {
		var dynamo, kinesis, kinesisConsumer, consumers, onFailureSNS, onFailureSQS []any
		for _, ev := range fn.EventList {
			e := ev.Stream
			if e == nil {
				continue
			}
			arn := e.ARN
			streamType := str(e.Type)
			if streamType == "" {
				if arn == nil || arn.Kind != schema.String {
					c.diags.Errorf(posOf(arn, ev.KeyPos), fmt.Sprintf("function %q: a stream event given by an intrinsic needs type", fn.Key),
						"Add type: dynamodb or type: kinesis; the framework reads the type from an ARN string only.")
					continue
				}
				streamType = part(arn.Value, ":", 2)
			}
			name, ok := intrinsicName(arn, e.ARNArgs)
			switch {
			case ok:
			case e.ARNArgs.Ref != nil:
				name = str(e.ARNArgs.Ref)
			case e.ARNArgs.Join != nil:
				if name, ok = lastJoinPart(e.ARNArgs); !ok {
					c.diags.Errorf(arn.Pos, fmt.Sprintf("function %q: the stream event needs the stream's ARN", fn.Key),
						"The framework names the mapping after the last element of Fn::Join, which must then be a string ending in the stream's name.")
					continue
				}
				name = name[strings.LastIndex(name, "/")+1:]
			case arn != nil && arn.Kind == schema.String && strings.Contains(arn.Value, "/"):
				name = part(arn.Value, "/", 1)
			default:
				c.diags.Errorf(posOf(arn, ev.KeyPos), fmt.Sprintf("function %q: the stream event needs the stream's ARN", fn.Key),
					"Give arn: as a stream ARN (arn:aws:kinesis:<region>:<account>:stream/<name>, or a DynamoDB table's stream ARN), Fn::GetAtt, Fn::ImportValue, Ref or Fn::Join.")
				continue
			}
			id := norm(fn.Key) + "EventSourceMapping" + upperFirst(streamType) + alnum(name)
			props := map[string]any{"BatchSize": json.Number("10"), "Enabled": true, "EventSourceArn": value(arn), "FunctionName": fn.Target,
				"StartingPosition": "TRIM_HORIZON"}
			if e.Object {
				if e.BatchSize.Truthy() {
					props["BatchSize"] = value(e.BatchSize)
				}
				if e.ParallelizationFactor.Truthy() {
					props["ParallelizationFactor"] = value(e.ParallelizationFactor)
				}
				if e.StartingPosition.Truthy() {
					props["StartingPosition"] = value(e.StartingPosition)
				}
				if e.Enabled != nil {
					props["Enabled"] = value(e.Enabled)
				}
			}
			switch {
			case streamType == "dynamodb":
				dynamo = append(dynamo, value(arn))
			case e.Consumer.Truthy():
				kinesisConsumer = append(kinesisConsumer, value(arn))
			default:
				kinesis = append(kinesis, value(arn))
			}
			setGiven(props, "MaximumBatchingWindowInSeconds", e.BatchWindow)
			setGiven(props, "MaximumRetryAttempts", e.MaximumRetryAttempts)
			setGiven(props, "BisectBatchOnFunctionError", e.BisectBatchOnFunctionError)
			if e.FunctionResponseType != nil {
				props["FunctionResponseTypes"] = []any{value(e.FunctionResponseType)}
			}
			if e.MaximumRecordAgeInSeconds.Truthy() {
				props["MaximumRecordAgeInSeconds"] = value(e.MaximumRecordAgeInSeconds)
			}
			setGiven(props, "TumblingWindowInSeconds", e.TumblingWindowInSeconds)
			if e.Destinations.Truthy() {
				of := e.OnFailure.Node
				dest := of
				if of != nil && of.Kind == schema.Map {
					dest = e.OnFailure.ARN
				}
				destType := str(e.OnFailure.Type)
				if destType == "" {
					if dest == nil || dest.Kind != schema.String {
						c.diags.Errorf(posOf(of, ev.KeyPos), fmt.Sprintf("function %q: the stream's onFailure destination needs type", fn.Key),
							"Give onFailure as an SNS topic or SQS queue ARN, or as {arn, type: sns|sqs}.")
						continue
					}
					destType = part(dest.Value, ":", 2)
				}
				if destType == "sns" {
					onFailureSNS = append(onFailureSNS, value(dest))
				} else {
					onFailureSQS = append(onFailureSQS, value(dest))
				}
				props["DestinationConfig"] = map[string]any{"OnFailure": map[string]any{"Destination": value(dest)}}
			}
			if e.FilterPatterns.Truthy() && e.FilterPatterns.Kind == schema.List {
				props["FilterCriteria"] = filterCriteria(e.FilterPatterns)
			}
			deps := mappingDependsOn(fn)
			mapping := map[string]any{"Type": "AWS::Lambda::EventSourceMapping", "Properties": props}
			resources := map[string]map[string]any{id: mapping}
			order := []string{id}
			if e.Consumer.Truthy() && streamType == "kinesis" {
				if e.Consumer.Kind == schema.Bool {
					consumerName := fn.Key + name + "Consumer"
					if c.svc.Provider.KinesisConsumerNamingMode.Truthy() {
						consumerName = fn.Key + name + c.svc.Name + c.svc.Stage + "Consumer"
					}
					consumerID := norm(consumerName) + "StreamConsumer"
					resources[consumerID] = map[string]any{"Type": "AWS::Kinesis::StreamConsumer",
						"Properties": map[string]any{"StreamARN": value(arn), "ConsumerName": consumerName}}
					order = append(order, consumerID)
					deps = append(deps, consumerID)
					props["EventSourceArn"] = ref(consumerID)
					consumers = append(consumers, ref(consumerID))
				} else {
					props["EventSourceArn"] = value(e.Consumer)
					consumers = append(consumers, value(e.Consumer))
				}
				if str(e.StartingPosition) == "AT_TIMESTAMP" && !e.StartingPositionTimestamp.Truthy() {
					c.diags.Errorf(e.StartingPosition.Pos, fmt.Sprintf("function %q: startingPosition AT_TIMESTAMP needs startingPositionTimestamp", fn.Key),
						"Add startingPositionTimestamp: <Unix time in seconds>, the time to start reading from.")
				}
				if e.StartingPositionTimestamp.Truthy() {
					props["StartingPositionTimestamp"] = value(e.StartingPositionTimestamp)
				}
			}
			mapping["DependsOn"] = deps
			for _, rid := range order {
				c.merge(rid, resources[rid])
				c.own(fn, rid)
			}
		}
		for _, s := range []struct {
			actions   []any
			resources []any
		}{
			{[]any{"dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream", "dynamodb:ListStreams"}, dynamo},
			{[]any{"kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStream", "kinesis:ListStreams"}, kinesis},
			{[]any{"kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStreamSummary", "kinesis:ListShards"}, kinesisConsumer},
			{[]any{"kinesis:SubscribeToShard"}, consumers},
			{[]any{"sns:Publish"}, onFailureSNS},
			{[]any{"sqs:ListQueues", "sqs:SendMessage"}, onFailureSQS},
		} {
			if len(s.resources) > 0 {
				c.tpl.AddRoleStatement(map[string]any{"Effect": "Allow", "Action": s.actions, "Resource": s.resources})
			}
		}
	}
}

// part is s.split(sep)[i], or "".
func part(s, sep string, i int) string {
	parts := strings.Split(s, sep)
	if i < len(parts) {
		return parts[i]
	}
	return ""
}
