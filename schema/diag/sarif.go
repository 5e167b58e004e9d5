package diag

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
)

// SARIFSchema is the URI of the SARIF 2.1.0 schema (OASIS, errata 01).
const SARIFSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// Tool describes the program a SARIF log comes from.
type Tool struct {
	Name, Version, InformationURI string
	// HelpURI is the address of the codes table; each rule links to its
	// code's anchor in it.
	HelpURI string
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool     `json:"tool"`
	ColumnKind string        `json:"columnKind"`
	Results    []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID               string          `json:"id"`
	Name             string          `json:"name"`
	ShortDescription sarifText       `json:"shortDescription"`
	FullDescription  sarifText       `json:"fullDescription"`
	Help             sarifText       `json:"help"`
	HelpURI          string          `json:"helpUri,omitempty"`
	Properties       sarifProperties `json:"properties"`
}

type sarifProperties struct {
	Tags []string `json:"tags"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

// WriteSARIF writes l as a SARIF 2.1.0 log of one run, as GitHub code
// scanning reads it: a rule for each code that occurs (with its title,
// help and a link to its row of the codes table), and a result for each
// diagnostic at its file, line and column. Relative paths stay relative,
// against %SRCROOT% (the repository root when stepform runs there);
// columns count Unicode code points, as Pos does. fallback is the file a
// diagnostic without one is reported at (the configuration file), since
// code scanning needs a location for every result.
func WriteSARIF(w io.Writer, l List, src Sources, tool Tool, fallback string) error {
	ruleIndex := map[string]int{}
	var ids []string
	for _, d := range l {
		code, _ := CodeOf(d.Summary)
		if _, seen := ruleIndex[code.ID]; !seen {
			ruleIndex[code.ID] = 0
			ids = append(ids, code.ID)
		}
	}
	sort.Strings(ids)
	rules := make([]sarifRule, 0, len(ids))
	for i, id := range ids {
		ruleIndex[id] = i
		code, _ := CodeByID(id)
		if id == "" {
			code = Code{Title: "Uncoded diagnostic", Help: "A diagnostic without a code; please report it."}
		}
		r := sarifRule{
			ID:               code.ID,
			Name:             ruleName(code.Title),
			ShortDescription: sarifText{code.Title},
			FullDescription:  sarifText{code.Help},
			Help:             sarifText{code.Help},
			Properties:       sarifProperties{Tags: []string{ConcernOf(code.ID)}},
		}
		if tool.HelpURI != "" && code.ID != "" {
			r.HelpURI = tool.HelpURI + "#" + strings.ToLower(code.ID)
		}
		rules = append(rules, r)
	}
	results := make([]sarifResult, 0, len(l))
	for _, d := range l {
		code, _ := CodeOf(d.Summary)
		msg := d.Summary
		if d.Detail != "" {
			msg += "\n" + d.Detail
		}
		level := "warning"
		if d.Severity == Error {
			level = "error"
		}
		file := d.Pos.File
		if file == "" {
			file = fallback
		}
		// Code scanning places a result by its region's startLine: a
		// problem of the whole file is shown at its first line.
		r := &sarifRegion{StartLine: 1}
		if d.Pos.Line > 0 {
			r.StartLine = d.Pos.Line
			if d.Pos.Col > 0 {
				r.StartColumn = d.Pos.Col
				if end, ok := End(src, d.Pos); ok {
					r.EndLine, r.EndColumn = end.Line, end.Col
				}
			}
		}
		loc := sarifPhysical{ArtifactLocation: artifact(file), Region: r}
		results = append(results, sarifResult{
			RuleID: code.ID, RuleIndex: ruleIndex[code.ID], Level: level,
			Message: sarifText{msg}, Locations: []sarifLocation{{loc}},
		})
	}
	log := sarifLog{
		Schema:  SARIFSchema,
		Version: "2.1.0",
		Runs: []sarifRun{{
			Tool:       sarifTool{sarifDriver{Name: tool.Name, Version: tool.Version, InformationURI: tool.InformationURI, Rules: rules}},
			ColumnKind: "unicodeCodePoints",
			Results:    results,
		}},
	}
	data, err := json.MarshalIndent(log, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// artifact turns a file path into a SARIF artifact location: a relative
// URI against %SRCROOT%, or a file: URI for an absolute path.
func artifact(path string) sarifArtifact {
	slashed := filepath.ToSlash(path)
	if filepath.IsAbs(path) || strings.HasPrefix(slashed, "/") {
		u := url.URL{Scheme: "file", Path: slashed}
		if !strings.HasPrefix(u.Path, "/") {
			u.Path = "/" + u.Path // a Windows drive
		}
		return sarifArtifact{URI: u.String()}
	}
	slashed = strings.TrimPrefix(slashed, "./")
	return sarifArtifact{URI: (&url.URL{Path: slashed}).String(), URIBaseID: "%SRCROOT%"}
}

// ruleName turns a title into the PascalCase name SARIF viewers show
// beside the ID.
func ruleName(title string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(title, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}
