#!/usr/bin/env python3
"""check-central.py REPO [GNUPGHOME]: checks a Maven repository that `mvn deploy` wrote (bin/release-check's
rehearsal) against what Maven Central requires of a release, and says what it checked.

  - every file has a signature (.asc) that gpg verifies, and .md5 and .sha1 files that match it
  - every artifact that is not a POM has its -sources.jar and -javadoc.jar, and a CycloneDX SBOM
  - no POM names a SNAPSHOT (its own version, its parent's, a dependency's, a plugin's)
  - every POM, with what it inherits from its parent in the same repository, has name, description, url, a
    licence (name and url), scm (url and connection) and a developer
  - exactly the published modules are there: the internal ones (endpoints, test harness, benchmarks) not
  - the native module's NARs: the main one (nar.properties inside), noarch, and one per AOL the jar carries
Exit status 1 when anything fails; every failure is printed."""
import hashlib
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

NS = {"m": "http://maven.apache.org/POM/4.0.0"}
PUBLISHED = {"ticketkeeper-parent", "ticketkeeper-bom", "ticketkeeper-native", "ticketkeeper-native-openssl11",
             "ticketkeeper",
             "ticketkeeper-openssl", "ticketkeeper-cli", "ticketkeeper-tomcat", "ticketkeeper-netty",
             "ticketkeeper-spring-boot-starter", "ticketkeeper-tomcat-coyote-ffm"}
INTERNAL = {"ticketkeeper-endpoints", "ticketkeeper-test-harness", "ticketkeeper-bench"}
# The NARs per native artifact: the AOLs of the shims the jar carries, per OpenSSL generation.
AOLS = {"ticketkeeper-native": {"amd64-Linux-gpp", "aarch64-Linux-gpp", "amd64-Windows-gpp"},
        "ticketkeeper-native-openssl11": {"amd64-Linux-gpp", "aarch64-Linux-gpp"}}
CHECKSUMS = (".md5", ".sha1", ".sha256", ".sha512")

repo = sys.argv[1]
gnupghome = sys.argv[2] if len(sys.argv) > 2 else None
failures = []
counts = {"files": 0, "signatures": 0, "checksums": 0, "poms": 0}


def fail(message):
    failures.append(message)
    print("check-central: FAIL " + message)


def text(pom, path):
    node = pom.find(path, NS)
    return node.text.strip() if node is not None and node.text and node.text.strip() else None


root = os.path.join(repo, "io", "ticketkeeper")
poms = {}
files = []
for directory, _, names in os.walk(root):
    for name in names:
        if name.startswith("maven-metadata"):
            continue
        files.append(os.path.join(directory, name))

for path in sorted(files):
    if path.endswith(CHECKSUMS) or path.endswith(".asc"):
        continue
    counts["files"] += 1
    data = open(path, "rb").read()
    for extension, algorithm in ((".md5", "md5"), (".sha1", "sha1")):
        if not os.path.exists(path + extension):
            fail(f"{path}: no {extension}")
            continue
        expected = open(path + extension).read().split()[0].strip().lower()
        if expected != hashlib.new(algorithm, data).hexdigest():
            fail(f"{path}{extension} does not match the file")
        else:
            counts["checksums"] += 1
    for extension, algorithm in ((".sha256", "sha256"), (".sha512", "sha512")):
        if os.path.exists(path + extension):
            expected = open(path + extension).read().split()[0].strip().lower()
            if expected != hashlib.new(algorithm, data).hexdigest():
                fail(f"{path}{extension} does not match the file")
            else:
                counts["checksums"] += 1
    if not os.path.exists(path + ".asc"):
        fail(f"{path}: no signature (.asc)")
    else:
        env = dict(os.environ)
        if gnupghome:
            env["GNUPGHOME"] = gnupghome
        verify = subprocess.run(["gpg", "--batch", "--verify", path + ".asc", path], env=env,
                                capture_output=True, text=True)
        if verify.returncode != 0:
            fail(f"{path}.asc does not verify: {verify.stderr.strip()}")
        else:
            counts["signatures"] += 1
    if path.endswith(".pom"):
        poms[path] = ET.parse(path).getroot()

by_artifact = {}
for path, pom in poms.items():
    artifact = text(pom, "m:artifactId")
    by_artifact[artifact] = (path, pom)
    counts["poms"] += 1

found = set(by_artifact)
for missing in sorted(PUBLISHED - found):
    fail(f"{missing} was not deployed")
for internal in sorted(found & INTERNAL):
    fail(f"{internal} is internal but was deployed")
for extra in sorted(found - PUBLISHED - INTERNAL):
    fail(f"{extra} was deployed but is not in the checker's list of published modules")


def inherited(pom, path):
    """The value at path in pom or, when it has none, in its parent's POM from this repository."""
    while pom is not None:
        value = pom.find(path, NS)
        if value is not None:
            return value
        parent = text(pom, "m:parent/m:artifactId")
        pom = by_artifact.get(parent, (None, None))[1] if parent else None
    return None


for artifact, (path, pom) in sorted(by_artifact.items()):
    raw = open(path, encoding="utf-8").read()
    if "SNAPSHOT" in raw:
        fail(f"{path} names a SNAPSHOT")
    for required in ("m:name", "m:description", "m:url", "m:licenses/m:license/m:name", "m:licenses/m:license/m:url",
                     "m:scm/m:url", "m:scm/m:connection", "m:developers/m:developer"):
        if inherited(pom, required) is None:
            fail(f"{artifact}: no {required.replace('m:', '')} (own or inherited)")
    # Central wants name, description and url of each module's own, inherited or not; an inherited one names the
    # parent, which is allowed but says nothing: each module names and describes itself.
    for own in ("m:name", "m:description"):
        if text(pom, own) is None:
            fail(f"{artifact}: its POM does not carry its own {own[2:]}")
    packaging = text(pom, "m:packaging") or "jar"
    version = text(pom, "m:version") or text(pom, "m:parent/m:version")
    base = os.path.join(os.path.dirname(path), f"{artifact}-{version}")
    if packaging != "pom":
        for suffix in (".jar", "-sources.jar", "-javadoc.jar", "-cyclonedx.json"):
            if not os.path.exists(base + suffix):
                fail(f"{artifact}: no {os.path.basename(base + suffix)}")
        print(f"check-central: {artifact} {version}: jar, sources, javadoc, SBOM")
    else:
        print(f"check-central: {artifact} {version}: pom")
    if artifact in AOLS:
        main = base + ".nar"
        if not os.path.exists(main):
            fail(f"{artifact}: no main .nar")
        else:
            with zipfile.ZipFile(main) as nar:
                if f"META-INF/nar/io.ticketkeeper/{artifact}/nar.properties" not in nar.namelist():
                    fail(f"{artifact}: its main .nar holds no nar.properties")
        nars = ["noarch"] + sorted(f"{aol}-shared" for aol in AOLS[artifact])
        for classifier in nars:
            if not os.path.exists(f"{base}-{classifier}.nar"):
                fail(f"{artifact}: no {classifier} NAR")
            elif classifier != "noarch":
                aol = classifier[:-len("-shared")]
                with zipfile.ZipFile(f"{base}-{classifier}.nar") as nar:
                    if not any(n.startswith(f"lib/{aol}/shared/") and not n.endswith("/") for n in nar.namelist()):
                        fail(f"{artifact}: its {classifier} NAR holds no lib/{aol}/shared/ library")
        print(f"check-central: {artifact} {version}: NARs " + ", ".join(["main"] + nars))

print(f"check-central: {counts['files']} files, {counts['signatures']} signatures verified, "
      f"{counts['checksums']} checksums matched, {counts['poms']} POMs checked; {len(failures)} failures")
sys.exit(1 if failures else 0)
