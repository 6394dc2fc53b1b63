"""One version: the workspace's (Cargo.toml, [workspace.package]) is the
source; every package file that states a version must state the same one.
The Python package takes it from Cargo through maturin (`dynamic`), the Rust
bindings and the User-Agents from CARGO_PKG_VERSION, the Swift package from
the git tag it is released under (SwiftPM has no version field).

    python3 scripts/versions.py           # check, naming each file that differs
    python3 scripts/versions.py --print   # print the version
"""

from __future__ import annotations

import json
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POM = "{http://maven.apache.org/POM/4.0.0}"


def workspace() -> str:
    return tomllib.loads((ROOT / "Cargo.toml").read_text())["workspace"]["package"]["version"]


def stated() -> dict[str, str]:
    out = {}
    for p in [ROOT / "node" / "package.json", ROOT / "node-testing" / "package.json",
              *sorted((ROOT / "node" / "npm").glob("*/package.json")), *sorted((ROOT / "cli" / "npm").glob("*/package.json"))]:
        out[str(p.relative_to(ROOT))] = json.loads(p.read_text())["version"]
    extras = tomllib.loads((ROOT / "python" / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    for name in ("cli", "testing"):
        out[f"python/pyproject.toml [{name}] extra"] = extras[name][0].split("==")[1]
    testing = tomllib.loads((ROOT / "python-testing" / "pyproject.toml").read_text())["project"]["dependencies"]
    out["python-testing/pyproject.toml novabilling dependency"] = testing[0].split("==")[1]
    pom = ET.parse(ROOT / "kotlin" / "pom.xml").getroot()
    out["kotlin/pom.xml <version>"] = pom.findtext(f"{POM}version") or ""
    testing_pom = ET.parse(ROOT / "kotlin-testing" / "pom.xml").getroot()
    out["kotlin-testing/pom.xml <version>"] = testing_pom.findtext(f"{POM}version") or ""
    out["kotlin-testing/pom.xml novabilling.version"] = testing_pom.findtext(f"{POM}properties/{POM}novabilling.version") or ""
    node_testing = json.loads((ROOT / "node-testing" / "package.json").read_text())
    out["node-testing/package.json peerDependencies.novabilling"] = node_testing["peerDependencies"]["novabilling"]
    out["node/package.json peerDependencies.@novabilling/testing"] = json.loads((ROOT / "node" / "package.json").read_text())["peerDependencies"]["@novabilling/testing"]
    cli_npm = json.loads((ROOT / "cli" / "npm" / "novabilling-cli" / "package.json").read_text())
    for name, v in cli_npm["optionalDependencies"].items():
        out[f"cli/npm/novabilling-cli/package.json optionalDependencies.{name}"] = v
    consumer = ET.parse(ROOT / "kotlin" / "consumer" / "pom.xml").getroot()
    out["kotlin/consumer/pom.xml novabilling.version"] = consumer.findtext(f"{POM}properties/{POM}novabilling.version") or ""
    return out


def main() -> int:
    version = workspace()
    if sys.argv[1:] == ["--print"]:
        print(version)
        return 0
    project = tomllib.loads((ROOT / "python" / "pyproject.toml").read_text())["project"]
    wrong = [f"{where}: {v} (the workspace is {version})" for where, v in stated().items() if v != version]
    if "version" in project or "version" not in project.get("dynamic", []):
        wrong.append("python/pyproject.toml: the version must be dynamic (maturin takes Cargo's)")
    print("\n".join(wrong) or f"versions: every package states {version}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
