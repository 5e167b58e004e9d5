package inspect

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestShow(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want string
	}{
		{"arn:aws:sns:us-east-1:1:t", "arn:aws:sns:us-east-1:1:t"},
		{json.Number("30"), "30"},
		{map[string]any{"Ref": "Queue"}, "!Ref Queue"},
		{map[string]any{"Fn::GetAtt": []any{"Fn", "Arn"}}, "!GetAtt Fn.Arn"},
		{map[string]any{"Fn::GetAtt": "Fn.Arn"}, "!GetAtt Fn.Arn"},
		{map[string]any{"Fn::Sub": "arn:${AWS::Partition}:s3:::b"}, "arn:${AWS::Partition}:s3:::b"},
		{map[string]any{"Fn::Sub": []any{"${fn}:*", map[string]any{"fn": map[string]any{"Fn::GetAtt": []any{"F", "Arn"}}}}}, "${F.Arn}:*"},
		{map[string]any{"Fn::Join": []any{"", []any{"arn:", map[string]any{"Ref": "AWS::Partition"}, ":states"}}}, "arn:${AWS::Partition}:states"},
		{map[string]any{"a": "<b>"}, `{"a":"<b>"}`},
	} {
		if got := Show(tc.in); got != tc.want {
			t.Errorf("Show(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestWrap(t *testing.T) {
	got := wrap("aaaa, bbbb, cccc", 11)
	if want := []string{"aaaa, bbbb,", "cccc"}; !reflect.DeepEqual(got, want) {
		t.Errorf("wrap = %q, want %q", got, want)
	}
	if got := wrap("one-long-item", 3); !reflect.DeepEqual(got, []string{"one-long-item"}) {
		t.Errorf("a long item is split: %q", got)
	}
}
