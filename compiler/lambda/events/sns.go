package events

import (
	"fmt"
	"strings"

	"github.com/stepform/stepform/schema"
)

// sns compiles sns events: a topic given by name is created (one per
// name, each function subscribing), one given by ARN gets a
// subscription; each function gets an invoke permission per topic, and
// redrive policies their queue policy.
func (c *compiler) sns() {
	for _, fn := range c.fns {
		for _, ev := range fn.EventList {
			e := ev.SNS
			if e == nil {
				continue
			}
			var topicArn any
			var topicName, region string
			switch {
			case e.Object && e.ARN.Truthy():
				topicArn = value(e.ARN)
				if e.ARN.Kind == schema.String {
					parts := strings.Split(strings.ReplaceAll(e.ARN.Value, "::", "@@"), ":")
					topicName = strings.ReplaceAll(parts[len(parts)-1], "@@", "::")
					if len(parts) > 3 && strings.ReplaceAll(parts[3], "@@", "::") != c.svc.Region {
						region = strings.ReplaceAll(parts[3], "@@", "::")
					}
				}
				if n := str(e.TopicName); n != "" {
					topicName = n
				}
				if topicName == "" {
					c.diags.Errorf(e.ARN.Pos, fmt.Sprintf("function %q: an sns event with an intrinsic arn needs topicName", fn.Key),
						"The framework names the subscription and permission after the topic, which it cannot read from an intrinsic. Add topicName: <the topic's name>.")
					continue
				}
			case e.Object:
				topicName = str(e.TopicName)
				if topicName == "" {
					c.diags.Errorf(ev.KeyPos, fmt.Sprintf("function %q: the sns event needs arn or topicName", fn.Key),
						"Give the topic's ARN (arn:) for an existing topic, or topicName: for a topic the service creates.")
					continue
				}
			case e.ARN != nil && e.ARN.Kind == schema.String && strings.HasPrefix(e.ARN.Value, "arn:"):
				topicArn = e.ARN.Value
				topicName = e.ARN.Value[strings.LastIndex(e.ARN.Value, ":")+1:]
			case e.ARN != nil && e.ARN.Kind == schema.String:
				topicName = e.ARN.Value
			default:
				c.diags.Errorf(posOf(e.ARN, ev.KeyPos), fmt.Sprintf("function %q: the sns event is neither a topic name nor an ARN", fn.Key),
					"Give a topic name (created by the service), a topic ARN, or an object with arn or topicName.")
				continue
			}
			var redrive any
			if rp := e.RedrivePolicy; rp.Truthy() {
				var targetArn, targetURL any
				switch {
				case e.Redrive.TargetARN.Truthy():
					arn := str(e.Redrive.TargetARN)
					targetArn = value(e.Redrive.TargetARN)
					p := strings.Split(arn, ":")
					at := func(i int) string { // the reversed split's i-th part
						if len(p)-1-i >= 0 {
							return p[len(p)-1-i]
						}
						return "undefined"
					}
					targetURL = join("", "https://sqs."+at(2)+".", ref("AWS::URLSuffix"), "/"+at(1)+"/"+at(0))
				case e.Redrive.TargetRef.Truthy():
					targetArn = getAtt(str(e.Redrive.TargetRef), "Arn")
					targetURL = ref(str(e.Redrive.TargetRef))
				case e.Redrive.TargetImport.Truthy():
					targetArn = map[string]any{"Fn::ImportValue": value(e.Redrive.ImportARN)}
					targetURL = map[string]any{"Fn::ImportValue": value(e.Redrive.ImportURL)}
				default:
					c.diags.Errorf(rp.Pos, fmt.Sprintf("function %q: redrivePolicy needs a dead-letter queue", fn.Key),
						"Give one of deadLetterTargetArn (the queue's ARN), deadLetterTargetRef (its logical ID) or deadLetterTargetImport {arn, url}.")
					continue
				}
				redrive = map[string]any{"deadLetterTargetArn": targetArn}
				policyID := alnum(topicName) + "To" + norm(fn.Key) + "DLQPolicy"
				arnEquals := map[string]any{}
				switch {
				case topicArn != nil:
					arnEquals["aws:SourceArn"] = topicArn
				case !c.in.Quirks.CreatedTopicDLQConditionEmpty:
					// The framework knows a created topic's ARN only later and
					// leaves the condition empty, which lets any topic send
					// to the queue; the default mode names the topic.
					arnEquals["aws:SourceArn"] = createdTopicArn(topicName)
				}
				c.own(fn, policyID)
				c.res[policyID] = map[string]any{"Type": "AWS::SQS::QueuePolicy", "Properties": map[string]any{
					"PolicyDocument": map[string]any{"Version": "2012-10-17", "Id": policyID, "Statement": []any{map[string]any{
						"Effect": "Allow", "Principal": map[string]any{"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage",
						"Resource": targetArn, "Condition": map[string]any{"ArnEquals": arnEquals}}}},
					"Queues": []any{targetURL}}}
			}
			subscriptionID := norm(fn.Key) + "SnsSubscription" + alnum(topicName)
			subscriptionProps := func(topic any) map[string]any {
				props := map[string]any{"TopicArn": topic, "Protocol": "lambda", "Endpoint": fn.Target}
				if e.FilterPolicy != nil {
					props["FilterPolicy"] = value(e.FilterPolicy)
				}
				if e.FilterPolicyScope != nil {
					props["FilterPolicyScope"] = value(e.FilterPolicyScope)
				}
				if redrive != nil {
					props["RedrivePolicy"] = redrive
				}
				return props
			}
			if topicArn != nil {
				props := subscriptionProps(topicArn)
				if region != "" {
					props["Region"] = region
				}
				r := map[string]any{"Type": "AWS::SNS::Subscription", "Properties": props}
				dependsOnAlias(r, fn)
				c.merge(subscriptionID, r)
				c.own(fn, subscriptionID)
			} else {
				topicArn = createdTopicArn(topicName)
				topicID := "SNSTopic" + alnum(topicName)
				if _, ok := c.res[topicID]; !ok {
					props := map[string]any{"TopicName": topicName}
					if e.DisplayName.Truthy() {
						props["DisplayName"] = value(e.DisplayName)
					}
					r := map[string]any{"Type": "AWS::SNS::Topic", "Properties": props}
					dependsOnAlias(r, fn)
					c.merge(topicID, r)
				}
				if e.FilterPolicy.Truthy() || redrive != nil {
					c.merge(subscriptionID, map[string]any{"Type": "AWS::SNS::Subscription", "Properties": subscriptionProps(ref(topicID))})
					c.own(fn, subscriptionID)
				} else if topic, ok := c.res[topicID].(map[string]any); ok {
					props, _ := topic["Properties"].(map[string]any)
					if props == nil {
						props = map[string]any{}
						topic["Properties"] = props
					}
					c.checkShared(fn, ev, fmt.Sprintf("the created topic %s's subscription list", topicName))
					subs, _ := props["Subscription"].([]any)
					props["Subscription"] = append(subs, map[string]any{"Endpoint": fn.Target, "Protocol": "lambda"})
				}
			}
			permID := norm(fn.Key) + "LambdaPermission" + alnum(topicName) + "SNS"
			c.merge(permID, permission(fn, "sns.amazonaws.com", topicArn))
			c.own(fn, permID)
		}
	}
}

// createdTopicArn is the ARN the framework gives a topic it creates.
func createdTopicArn(name string) any {
	return join("", "arn:", ref("AWS::Partition"), ":sns:", ref("AWS::Region"), ":", ref("AWS::AccountId"), ":", name)
}
