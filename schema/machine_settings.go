package schema

import (
	"slices"
	"sort"
	"strconv"

	"github.com/stepform/stepform/schema/diag"
)

// MachineSettings are a state machine's settings besides its definition,
// events, alarms and notifications, as typed values. Decode has checked
// them (the same in both modes); values that pass through to
// CloudFormation untouched stay Nodes.
type MachineSettings struct {
	// Name is `name` ("" when absent); it is also the deployed
	// StateMachineName. ID is `id`. Either, when not empty, makes the
	// logical ID. HasName and HasID say the key is there (even empty).
	Name, ID       string
	NamePos, IDPos diag.Pos
	HasName, HasID bool
	// Type is STANDARD, EXPRESS, or "" when absent.
	Type    string
	TypePos diag.Pos
	// Role is the machine's own role ARN (a string starting with arn:aws or
	// an intrinsic), nil when stepform generates the role.
	Role *Node
	// DependsOn are the logical IDs of `dependsOn`, in order, and
	// DependsOnPos their positions.
	DependsOn    []string
	DependsOnPos []diag.Pos
	// Retain is `retain: true`.
	Retain bool
	// Tags are the machine's own tags in the order JavaScript enumerates
	// them (integer-like keys first). Values stay Nodes: the plugin writes
	// (value || "").toString(), so false and 0 become "", while the
	// default mode keeps them as text and rejects objects.
	Tags []Tag
	// InheritGlobalTags is false only for inheritGlobalTags: false.
	InheritGlobalTags bool
	// Logging is loggingConfig, nil when absent.
	Logging *LoggingConfig
	// Tracing is tracingConfig, nil when absent.
	Tracing *TracingConfig
	// Encryption is encryptionConfig, nil when absent.
	Encryption *EncryptionConfig
	// KMSKeyArns are kmsKeyArns (ARNs or intrinsics, passed through).
	KMSKeyArns []*Node
	// UseExactVersion and ConfigureTaskTimeouts are the boolean switches.
	UseExactVersion, ConfigureTaskTimeouts bool
}

// Tag is one tag of a machine.
type Tag struct {
	Key    string
	KeyPos diag.Pos
	Value  *Node
}

// LoggingConfig is a machine's loggingConfig.
type LoggingConfig struct {
	Pos diag.Pos
	// Level is ALL, ERROR, FATAL or OFF (the default).
	Level string
	// IncludeExecutionData is the value's truthiness, as the plugin reads it.
	IncludeExecutionData bool
	// Destinations are the log group ARNs (strings or intrinsics).
	Destinations []*Node
	// RetentionInDays is stepform's retentionInDays (the retention of the
	// log group the default mode creates without destinations), or nil.
	// RetentionKey is its key, nil when absent (even a null value has one).
	RetentionInDays *Node
	RetentionKey    *Pair
}

// TracingConfig is a machine's tracingConfig.
type TracingConfig struct {
	Pos     diag.Pos
	Enabled bool
}

// EncryptionConfig is a machine's encryptionConfig, with the plugin's
// defaults filled in.
type EncryptionConfig struct {
	Pos diag.Pos
	// KmsDataKeyReusePeriodSeconds is the number as written ("900" when
	// absent), kept as text so the template shows it as the user wrote it.
	KmsDataKeyReusePeriodSeconds string
	// KmsKeyID is the key's text ("" when absent); the plugin wraps it in
	// Fn::Sub. KmsKeyIDNode is the value as written: the role gets kms
	// permissions only for a truthy one, so false and 0 (written as
	// "false" and "0") grant nothing.
	KmsKeyID     string
	KmsKeyIDNode *Node
	// Type is the encryption type, AWS_OWNED_KEY when absent.
	Type string
}

// machineNodes are a machine's settings that Decode has checked (the
// invalid ones left out), before machineSettings types them.
type machineNodes struct {
	id, name, typ                                  *Node
	role, dependsOn, tags, inheritGlobalTags       *Node
	logging, tracing, encryption, kmsKeyArns       *Node
	retain, useExactVersion, configureTaskTimeouts bool
}

// machineSettings reads m's checked settings into types. It reports
// nothing: Decode has checked every one of them.
func machineSettings(raw machineNodes) MachineSettings {
	s := MachineSettings{Retain: raw.retain, UseExactVersion: raw.useExactVersion, ConfigureTaskTimeouts: raw.configureTaskTimeouts, InheritGlobalTags: true}
	if raw.name != nil {
		s.Name, s.NamePos, s.HasName = raw.name.Value, raw.name.Pos, true
	}
	if raw.id != nil {
		s.ID, s.IDPos, s.HasID = raw.id.Value, raw.id.Pos, true
	}
	if raw.typ != nil {
		s.Type, s.TypePos = raw.typ.Value, raw.typ.Pos
	}
	s.Role = raw.role
	if dep := raw.dependsOn; dep != nil {
		if dep.Kind == String {
			s.DependsOn, s.DependsOnPos = append(s.DependsOn, dep.Value), append(s.DependsOnPos, dep.Pos)
		}
		for _, it := range dep.Items {
			if it.Kind == String { // Decode has reported the others
				s.DependsOn, s.DependsOnPos = append(s.DependsOn, it.Value), append(s.DependsOnPos, it.Pos)
			}
		}
	}
	if raw.tags != nil {
		for _, p := range JSOrderedPairs(raw.tags) {
			s.Tags = append(s.Tags, Tag{Key: p.Key, KeyPos: p.KeyPos, Value: p.Value})
		}
	}
	if g := raw.inheritGlobalTags; g != nil && g.Value == "false" {
		s.InheritGlobalTags = false
	}
	if lc := raw.logging; lc != nil {
		s.Logging = &LoggingConfig{Pos: lc.Pos, Level: "OFF", IncludeExecutionData: lc.Get("includeExecutionData").Truthy()}
		if l := nonNull(lc.Get("level")); l != nil {
			s.Logging.Level = jsText(l)
		}
		if d := lc.Get("destinations"); d != nil {
			s.Logging.Destinations = d.Items
		}
		s.Logging.RetentionInDays = nonNull(lc.Get("retentionInDays"))
		s.Logging.RetentionKey = lc.Pair("retentionInDays")
	}
	if tc := raw.tracing; tc != nil {
		s.Tracing = &TracingConfig{Pos: tc.Pos, Enabled: tc.Get("enabled").Truthy()}
	}
	if ec := raw.encryption; ec != nil {
		s.Encryption = &EncryptionConfig{Pos: ec.Pos, KmsDataKeyReusePeriodSeconds: "900", Type: "AWS_OWNED_KEY"}
		if p := ec.Get("KmsDataKeyReusePeriodSeconds"); p != nil && p.Kind == Number {
			s.Encryption.KmsDataKeyReusePeriodSeconds = p.Value
		}
		if k := nonNull(ec.Get("KmsKeyId")); k != nil {
			s.Encryption.KmsKeyID, s.Encryption.KmsKeyIDNode = jsText(k), k
		}
		if t := nonNull(ec.Get("Type")); t != nil {
			s.Encryption.Type = jsText(t)
		}
	}
	if raw.kmsKeyArns != nil {
		s.KMSKeyArns = raw.kmsKeyArns.Items
	}
	return s
}

// JSOrderedPairs returns a map node's pairs in the order JavaScript
// enumerates an object's keys: integer-like keys first in ascending
// order, then the rest in insertion order.
func JSOrderedPairs(n *Node) []Pair {
	// Most objects have no index keys: they keep their order, uncopied.
	if !slices.ContainsFunc(n.Pairs, func(p Pair) bool { return IsArrayIndexKey(p.Key) }) {
		return n.Pairs
	}
	var ints, rest []Pair
	for _, p := range n.Pairs {
		if IsArrayIndexKey(p.Key) {
			ints = append(ints, p)
		} else {
			rest = append(rest, p)
		}
	}
	sort.SliceStable(ints, func(i, j int) bool {
		a, _ := strconv.ParseUint(ints[i].Key, 10, 64)
		b, _ := strconv.ParseUint(ints[j].Key, 10, 64)
		return a < b
	})
	return append(ints, rest...)
}

// IsArrayIndexKey reports whether k is a canonical array index ("0" to
// "4294967294"), which JavaScript orders before other keys.
func IsArrayIndexKey(k string) bool {
	if k == "" || len(k) > 10 || (len(k) > 1 && k[0] == '0') {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < '0' || k[i] > '9' {
			return false
		}
	}
	v, _ := strconv.ParseUint(k, 10, 64)
	return v < 4294967295
}
