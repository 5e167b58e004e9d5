package cfn

import (
	"slices"
	"testing"
)

func TestAttributes(t *testing.T) {
	attrs, known := Attributes("AWS::SQS::Queue")
	if !known || !slices.Equal(attrs, []string{"Arn", "QueueName", "QueueUrl"}) {
		t.Errorf("AWS::SQS::Queue: got %q, %v", attrs, known)
	}
	if attrs, known := Attributes("Custom::Thing"); known || attrs != nil {
		t.Errorf("a custom resource must be unknown, got %q", attrs)
	}
	if _, known := Attributes("_comment"); known {
		t.Error("the table's comment is not a resource type")
	}
	for typ, list := range attributes {
		if len(list) == 0 || !slices.IsSorted(list) {
			t.Errorf("%s: attributes must be listed, sorted: %q", typ, list)
		}
	}
}
