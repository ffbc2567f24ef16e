"""Validates YAML documents against a schema, for the deployment files' check.

usage: validate-schema.py SCHEMA FILE...

SCHEMA is a JSON Schema (.json), or a Kubernetes CustomResourceDefinition (.yaml): then every
document must be of the definition's kind and group, and is checked against the
openAPIV3Schema of the version it names, strictly (a field the schema does not declare is an
error, as the API server would prune it silently). Prints one line per document; exits 1 when
any fails.
"""

import json
import sys

import yaml
from jsonschema.validators import validator_for


def strict(node):
    """Refuses undeclared fields wherever the schema lists properties and allows no others."""
    if isinstance(node, dict):
        if (
            "properties" in node
            and "additionalProperties" not in node
            and not node.get("x-kubernetes-preserve-unknown-fields")
        ):
            node["additionalProperties"] = False
        for value in node.values():
            strict(value)
    elif isinstance(node, list):
        for value in node:
            strict(value)
    return node


def schemas_of(path):
    """A chooser: for a document, (its schema, None), or (None, why it has none)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith(".json"):
        schema = json.loads(text)
        return lambda doc: (schema, None)
    crd = yaml.safe_load(text)
    group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
    versions = {
        f"{group}/{v['name']}": strict(v["schema"]["openAPIV3Schema"])
        for v in crd["spec"]["versions"]
        if v.get("served")
    }

    def choose(doc):
        if doc.get("kind") != kind or doc.get("apiVersion") not in versions:
            return None, f"not a served {kind} ({', '.join(versions)}): {doc.get('apiVersion')} {doc.get('kind')}"
        return versions[doc["apiVersion"]], None

    return choose


def main(schema_path, files):
    choose = schemas_of(schema_path)
    failed = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            docs = [d for d in yaml.safe_load_all(f) if d is not None]
        for doc in docs:
            name = f"{path} {doc.get('kind', 'document')}/{(doc.get('metadata') or {}).get('name', doc.get('name', ''))}"
            schema, problem = choose(doc)
            if problem:
                errors = [problem]
            else:
                validator = validator_for(schema)(schema)
                errors = [
                    f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}"
                    for e in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
                ]
            if errors:
                failed += 1
                print(f"FAIL {name}")
                for error in errors:
                    print(f"  {error}")
            else:
                print(f"ok   {name}")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2:]))
