"""Reads the paired handshake runner's JSON (io.ticketkeeper.bench.paired.PairedHandshakes): per case, each
contestant's median rate and CPU time per handshake, and each comparison's median ratio with its 95 % interval and
verdict, all computed by the runner. Shared by report.py and chart.py. Standard library only."""

import json

BUILTIN = "openssl-builtin"
TICKETKEEPER = "ticketkeeper"
# The JNA backend's contestant and the subject of its cases (measured in a JVM of its own).
TICKETKEEPER_JNA = "ticketkeeper-jna"
JNA_SUBJECT = "JNA backend"
JSSE = "jsse"
VERSIONS = ("TLS1_2", "TLS1_3")
KINDS = ("full", "resumed")


def version_label(version):
    return version.replace("TLS1_", "TLS 1.")


class Case:
    def __init__(self, row):
        self.id = row["id"]
        self.title = row["title"]
        self.subject = row.get("subject")
        self.protocol = row["protocol"]
        self.handshake = row["handshake"]
        self.threads = row["threads"]
        self.rounds = row["rounds"]
        self.load_before = row.get("loadBefore")
        self.load_after = row.get("loadAfter")
        self.contestants = {c["name"]: c for c in row["contestants"]}
        self.comparisons = row["comparisons"]

    def label(self):
        return f"{version_label(self.protocol)} {self.handshake}"

    def comparison(self, contestant, against):
        for c in self.comparisons:
            if c["contestant"] == contestant and c["against"] == against:
                return c
        return None


class Run:
    def __init__(self, document):
        self.settings = document["settings"]
        self.cases = [Case(row) for row in document["cases"]]

    def case(self, protocol, handshake, threads, subject=None):
        for c in self.cases:
            if (c.protocol, c.handshake, c.threads, c.subject) == (protocol, handshake, threads, subject):
                return c
        return None


def is_paired(document):
    return isinstance(document, dict) and "cases" in document


def load(path):
    with open(path) as f:
        return Run(json.load(f))
