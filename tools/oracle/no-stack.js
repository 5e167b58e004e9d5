'use strict';

// Preloaded (node --require) into every oracle run. Packaging a service
// with local `layers:` asks CloudFormation for the deployed stack
// (DescribeStacks, to reuse an unchanged layer's upload), which needs AWS.
// This answers every such call as AWS does for a stack that was never
// deployed, so the template is the one of a first deployment. Nothing else
// calls AWS while packaging the fixtures.

const Module = require('module');

const realLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  const exported = realLoad.apply(this, arguments);
  if (
    typeof exported === 'function' &&
    exported.prototype &&
    typeof exported.prototype.request === 'function' &&
    /[\\/]lib[\\/]plugins[\\/]aws[\\/]provider\.js$/.test(Module._resolveFilename(request, parent))
  ) {
    const realRequest = exported.prototype.request;
    if (!realRequest.stubbed) {
      exported.prototype.request = function request(service, method, params) {
        if (service === 'CloudFormation' && method === 'describeStacks') {
          const name = (params && params.StackName) || 'stack';
          return Promise.reject(new Error(`Stack with id ${name} does not exist`));
        }
        return realRequest.apply(this, arguments);
      };
      exported.prototype.request.stubbed = true;
    }
  }
  return exported;
};
