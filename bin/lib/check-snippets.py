#!/usr/bin/env python3
"""check-snippets.py ROOT: the code in README.md and docs/*.md is real source. A Java block in them must follow a
marker naming the file and tagged region it shows (a properties block may, "# tag::x[]" marking its region),

    <!-- snippet: examples/java17-classpath/src/main/java/example/ResumeOnClassPath.java#install -->
    ```java
    ...
    ```

and equal that region (between "// tag::install[]" and "// end::install[]", common indentation removed). The
examples are compiled and run in CI (bin/example-tests), so a renamed method breaks the build instead of leaving a
doc stale (examples/docs-snippets holds the pages' code that needs no running). README.md, and every page of docs/
that ties any block to a source, must tie all of them; a page with none (one just added) is listed as unchecked."""
import pathlib
import re
import sys
import textwrap

root = pathlib.Path(sys.argv[1])
marker = re.compile(r"<!-- snippet: (\S+)#(\S+) -->")
failures = 0
checked = 0
unchecked = []


def region(path, tag):
    lines = (root / path).read_text(encoding="utf-8").splitlines()
    # Java regions are marked "// tag::x[]", properties files' "# tag::x[]".
    start = next(i for i, line in enumerate(lines) if line.strip() in (f"// tag::{tag}[]", f"# tag::{tag}[]"))
    end = next(i for i, line in enumerate(lines) if line.strip() in (f"// end::{tag}[]", f"# end::{tag}[]"))
    return textwrap.dedent("\n".join(lines[start + 1:end])).strip("\n")


strict = {"README.md"}
for doc in [root / "README.md"] + sorted((root / "docs").glob("*.md")):
    lines = doc.read_text(encoding="utf-8").splitlines()
    if any(marker.search(line) for line in lines):
        strict.add(str(doc.relative_to(root)))
    for i, line in enumerate(lines):
        if line.strip() not in ("```java", "```properties"):
            continue
        end = next(j for j in range(i + 1, len(lines)) if lines[j].strip() == "```")
        block = textwrap.dedent("\n".join(lines[i + 1:end])).strip("\n")
        found = marker.search(lines[i - 1]) if i > 0 else None
        where = f"{doc.relative_to(root)}:{i + 1}"
        if not found and line.strip() == "```properties":
            continue  # a properties block is checked when it is tied to a file, as application.properties is
        if not found:
            unchecked.append(where)
            continue
        try:
            expected = region(found.group(1), found.group(2))
        except (OSError, StopIteration):
            print(f"check-snippets: {where}: no region {found.group(2)} in {found.group(1)}")
            failures += 1
            continue
        if block != expected:
            print(f"check-snippets: {where} differs from {found.group(1)}#{found.group(2)}; the source says:")
            print(textwrap.indent(expected, "    "))
            failures += 1
        else:
            checked += 1
for where in unchecked:
    if where.rsplit(":", 1)[0] in strict:
        print(f"check-snippets: {where}: a Java block without a snippet marker")
        failures += 1
print(f"check-snippets: {checked} blocks equal their sources; {len(unchecked)} not tied to a source "
      f"({', '.join(unchecked) if unchecked else 'none'}); {failures} failures")
sys.exit(1 if failures else 0)
