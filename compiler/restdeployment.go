package compiler

import (
	"crypto/md5"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/stepform/stepform/compiler/cfn"
	"github.com/stepform/stepform/compiler/internal/jsvalue"
)

// functionsDeploymentID is the placeholder name compiler/lambda/events
// gives the Deployment of the functions' REST API.
const functionsDeploymentID = "ApiGatewayDeploymentFunctions"

// nameRestDeployment renames the Deployment of a REST API compiled from
// the functions' http events after a hash of every API Gateway resource
// of the finished template (the state machines' methods included). The
// framework names it after the clock, so every deploy redeploys; a hash
// redeploys exactly when the API changes and keeps the output
// deterministic.
func nameRestDeployment(doc map[string]any) {
	res, _ := doc["Resources"].(map[string]any)
	dep, ok := res[functionsDeploymentID]
	if !ok {
		return
	}
	served := map[string]any{}
	for id, r := range res {
		if m, ok := r.(map[string]any); ok && id != functionsDeploymentID {
			if t, _ := m["Type"].(string); strings.HasPrefix(t, "AWS::ApiGateway::") && !jsvalue.IsType(r, "AWS::ApiGateway::Deployment") {
				served[id] = r
			}
		}
	}
	hash := md5.New()
	if cfn.WriteGoJSON(hash, served) != nil {
		hash.Reset()
	}
	id := "ApiGatewayDeployment" + hex.EncodeToString(hash.Sum(nil))[:12]
	delete(res, functionsDeploymentID)
	res[id] = dep
	for _, k := range slices.Sorted(mapsKeys(res)) {
		res[k] = renameRef(res[k], id)
	}
	if out, ok := doc["Outputs"].(map[string]any); ok {
		for k, v := range out {
			out[k] = renameRef(v, id)
		}
	}
}

func mapsKeys(m map[string]any) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// renameRef replaces the placeholder where it is a DependsOn entry or a
// Ref's target.
func renameRef(v any, id string) any {
	switch x := v.(type) {
	case string:
		if x == functionsDeploymentID {
			return id
		}
	case []any:
		for i, e := range x {
			x[i] = renameRef(e, id)
		}
	case map[string]any:
		for k, e := range x {
			x[k] = renameRef(e, id)
		}
	}
	return v
}
