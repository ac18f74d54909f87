#!/usr/bin/env python3
"""Writes the generated seeds of the fuzz corpus (Tests/Fuzz/corpus/<target>/<name>).

The seeds are committed; this script documents how the big and deep ones were made and
rewrites them when a limit changes. It only writes the names below: seeds added by hand
(a fuzz finding, say) live beside them untouched. After changing seeds, write the .expect
files with `scripts/fuzz.sh --bless` and review the diff: an .expect file is a test's
expected value.
"""
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent
CORPUS = ROOT / "corpus"
FIXTURES = ROOT.parent / "EnvCheckKeysTests" / "Fixtures"
MIB = 1 << 20
LINE = 64 << 10


def write(target, name, data):
    path = CORPUS / target / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())


def comment_lines(total):
    """Whole-line comments adding up to exactly `total` bytes."""
    line = "#" + "c" * 1022 + "\n"
    text = line * (total // len(line))
    return text + "#" * (total - len(text))


def nested_default(depth):
    return "${UNSET:-" * depth + "x" + "}" * depth


ENV = {
    "basic": "A=1\nexport B='two'\nC=\"three # kept\" # comment\nD=plain value # comment\n\n# whole line\n",
    "crlf-bom": "\ufeffA=1\r\n\r\nB=\"two\"\r\nC=three",
    "bare-cr": "A=1\rB=2\r\rC='x'\r",
    "cr-inside-quotes": "A=\"first\rsecond\"\rB=2\n",
    "multiline-pem": "KEY=\"-----BEGIN KEY-----\nMIIB\n-----END KEY-----\"\nNEXT=1\n",
    "go-quoted": 'S="he said \\"hi\\" C:\\\\dir\\nline\\ttab \\u00a0 $x"\n',
    "interpolation": "H=db\nURL=postgres://${H}:${PORT:-5432}/app\nC=$USER-${USER}\nE=${EMPTY:-fallback}\n",
    "required-message": "A=1\nB=${NOPE:?ask ops for ${SECRET}}\n",
    # BIG is 20000 bytes in the fuzz environment.
    "value-blowup": "A=" + "${BIG}" * 60 + "\n",
    "file-blowup": "".join(f"V{n}=" + "${BIG}" * 50 + "\n" for n in range(8)),
    "nesting-32": "K=" + nested_default(32) + "\n",
    "nesting-33": "A=1\nK=" + nested_default(33) + "\n",
    "nesting-5000": "K=" + nested_default(5000) + "\n",
    "unclosed-braces": "A=" + "${" * 32000 + "\n",
    "unclosed-defaults": "A=" + "${A:-" * 10000 + "\n",
    "line-64k": "A=1\nB=" + "v" * (LINE - 2) + "\n",
    "line-64k-plus-1": "A=1\nB=" + "v" * (LINE - 1) + "\n",
    "keys-4096": "".join(f"K{n}=v\n" for n in range(4096)),
    "keys-4097": "".join(f"K{n}=v\n" for n in range(4097)),
    "unterminated-quote": "A=1\nB=\"never closed\nC=3\n",
    "bare-name": "A=1\nJUST_A_NAME\n",
    "text-after-quote": "A=\"1\"B=2\n",
    "systemd-continuation": "A=one \\\ntwo\n; comment\nB=\"x\" 'y'\n",
    "empty": "",
}
ENV_BYTES = {
    "invalid-utf8": b"A=1\nB=\xff\xfe\nC=3\n",
}
# The size limit is shared by the dialects: one copy of the big seeds is enough.
ENV_DOTENV_ONLY = {
    "file-1mib": comment_lines(MIB - 4) + "\nA=",
    "file-1mib-plus-1": comment_lines(MIB + 1),
}

INTERPOLATION = {
    "plain": "postgres://db:5432/app",
    "forms": "$USER ${USER} ${EMPTY:-d} ${EMPTY-k} ${USER:+alt} ${NOPE+alt} $$ ${NOPE}",
    "nesting-32": nested_default(32),
    "nesting-33": nested_default(33),
    "unclosed": "${" * 30000,
    "unclosed-defaults": "${A:-" * 20000,
    "closers": "}" * 30000 + "${USER}",
    "blowup": "${BIG}" * 60,
    "required-secret": "${NOPE:?the password is ${SECRET}}",
    "required-set": "${USER:?never shown}",
    "dollars": "$" * 50000,
    "empty": "",
}

MANIFEST_FULL = """version: 1
probes:
  - id: primary-db
    kind: svc
    critical: true
    required: false
    timeout: 1500ms
    inputs:
      url: ${APP_DATABASE_URL:-${DATABASE_URL}}
      token: ${SECRET}
    options:
      name: "quoted \\u00e9 \\x41"
      flag: ${FLAG:-true}
      limit: 2.5
      wait: 30s
      keys: [A, "B", 'C']
      tls_verify: false
  - kind: other
    id: second
    options:
      tls_verify: true
"""


def nested_mappings(depth):
    return "".join("  " * n + f"k{n}:\n" for n in range(depth - 1)) + "  " * (depth - 1) + f"k{depth - 1}: x\n"


def probes(count):
    return "version: 1\nprobes:\n" + "".join(f"  - id: p{n}\n    kind: other\n" for n in range(count))


MANIFEST = {
    "full": MANIFEST_FULL,
    "backend": (ROOT.parent.parent / "probes" / "backend.yaml").read_text()
    .replace("kind: postgres", "kind: svc").replace("expect_primary", "flag")
    .replace("kind: s3", "kind: other").replace("kind: redis", "kind: other").replace("kind: openrouter", "kind: other"),
    "crlf-bare-cr": "version: 1\r\nprobes:\r  - kind: svc\r\n    inputs:\r      url: ${DATABASE_URL}\r",
    "nesting-32": nested_mappings(32),
    "nesting-33": nested_mappings(33),
    "nesting-300": nested_mappings(300),
    "dashes-30000": "- " * 30000 + "x\n",
    "flow-at-limit": nested_mappings(31).replace(": x\n", ": [a, b]\n"),
    "probes-1000": probes(1000),
    "probes-1001": probes(1001),
    "template-nesting-33": "probes:\n  - kind: svc\n    inputs:\n      url: " + "${A:-" * 32 + "${B}" + "}" * 32 + "\n",
    "template-blowup": "probes:\n  - kind: svc\n    inputs:\n      url: " + "${BIG}" * 60 + "\n",
    "anchors": "probes:\n  - &a kind: svc\n",
    "block-scalar": "probes:\n  - kind: |\n      svc\n",
    "tab-indent": "probes:\n\t- kind: svc\n",
    "duplicate-key": "probes:\n  - kind: svc\n    kind: other\n",
    "unterminated-quote": 'probes:\n  - kind: "svc\n',
    "line-64k-plus-1": "# " + "c" * (LINE - 1) + "\nprobes: []\n",
    "file-1mib-plus-1": comment_lines(MIB + 1),
    "unknown-kind": "probes:\n  - kind: nope\n",
    "empty": "",
}
MANIFEST_BYTES = {"invalid-utf8": b"probes:\n  - kind: \xff\n"}

JSON = {
    "openrouter": '{"data":{"label":"sk-or-v1-abc...890","limit":null,"usage":0.25,"limit_remaining":1e2,'
                  '"expires_at":"2027-01-01T00:00:00Z","x":"\\u00e9\\ud83d\\ude00"}}',
    "nesting-64": "[" * 64 + "]" * 64,
    "nesting-65": "[" * 65 + "]" * 65,
    "objects-64": '{"a":' * 64 + "1" + "}" * 64,
    "brackets-200000": "[" * 200000,
    "keys-20000": "{" + ",".join(f'"k{n}":{n}' for n in range(20000)) + "}",
    "duplicate-keys": '{"a":1,"b":2,"a":{"c":[true,false,null]}}',
    "numbers-ok": "[0,-0,12,-3.25,1e5,1E+2,2.5e-3,-1e999,99999999999999999999]",
    "number-leading-zero": "[01]",
    "number-plus": "[+1]",
    "number-dot": "[1.]",
    "escapes": '["\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\ud800"]',
    "escape-signed-hex": '["\\u+041"]',
    "control-char": '["a\tb"]',
    "truncated": '{"a":[1,2',
    "digits-500000": "1" * 500000,
    "size-1mib-plus-1": '"' + "a" * (MIB - 1) + '"',
    "whitespace": " \t\r\n{ } \n",
    "empty": "",
}

TEMPLATE = {
    "clean": (FIXTURES / "clean" / "secrets.ctmpl").read_text(),
    "drifted": (FIXTURES / "drifted" / "secrets.ctmpl").read_text(),
    "braces-in-strings": 'A={{ printf "}}%s{{" `}}` .x }}\nB={{ "{{" }}\n{{/* KEY=not */}}\n{{- with $x -}}\nC=1\n{{- end }}\n',
    "nesting-32": "{{ if .x }}\n" * 32 + "A=1\n" + "{{ end }}\n" * 32,
    "nesting-33": "{{ if .x }}\n" * 33 + "A=1\n" + "{{ end }}\n" * 33,
    "nesting-10000": "{{ if .x }}\n" * 10000,
    "keys-4096": "".join(f"K{n}={{{{ .x }}}}\n" for n in range(4096)),
    "keys-4097": "".join(f"K{n}={{{{ .x }}}}\n" for n in range(4097)),
    "arms-4000": "{{ if .a }}\nA=0\n" + "".join(f"{{{{ else if .a{n} }}}}\nA={n}\n" for n in range(1, 4000)) + "{{ end }}\nA=x\n",
    "bare-cr": "A={{ .a }}\rB={{ .b }}\r\nC=3",
    "unterminated-action": "A=1\nB={{ .x \n",
    "unterminated-comment": "{{/* never closed",
    "end-without-block": "{{ end }}",
    "line-64k-plus-1": "A=" + "v" * (LINE - 1) + "\n",
    "empty": "",
}


def chain(n):
    return "class C0(BaseSettings):\n    f0: str = ''\n" + "".join(f"class C{i}(C{i - 1}):\n    f{i}: str = ''\n" for i in range(1, n))


def diamond(levels):
    text = "class A0(BaseSettings):\n    a0: str = ''\nclass B0(BaseSettings):\n    b0: str = ''\n"
    for n in range(1, levels):
        text += f"class A{n}(A{n - 1}, B{n - 1}):\n    a{n}: str = ''\nclass B{n}(B{n - 1}, A{n - 1}):\n    b{n}: str = ''\n"
    return text + f"class Leaf(A{levels - 1}, B{levels - 1}):\n    leaf: str = ''\n"


SETTINGS = {
    "clean": (FIXTURES / "clean" / "config.py").read_text(),
    "drifted": (FIXTURES / "drifted" / "config.py").read_text(),
    "brackets-32": "class S(BaseSettings):\n    a: " + "list[" * 32 + "int" + "]" * 32 + " = []\n",
    "brackets-33": "class S(BaseSettings):\n    a: " + "list[" * 33 + "int" + "]" * 33 + " = []\n",
    "parens-60000": "x = " + "(" * 60000 + "\n",
    "chain-32": chain(32),
    "chain-33": chain(33),
    "diamond-30": diamond(30),
    "cycle": "class S(BaseSettings):\n    s: str = ''\nclass A(B):\n    a: str = ''\nclass B(A, S):\n    b: str = ''\nclass C(A):\n    c: str = ''\n",
    "fields-4096": "class S(BaseSettings):\n" + "".join(f"    f{n}: str = ''\n" for n in range(4096)),
    "fields-4097": "class S(BaseSettings):\n" + "".join(f"    f{n}: str = ''\n" for n in range(4097)),
    "classes-4097": "".join(f"class K{n}(BaseSettings):\n    pass\n" for n in range(4097)),
    "inherited-work": "class Base(BaseSettings):\n" + "".join(f"    f{n}: str = ''\n" for n in range(4000))
                      + "".join(f"class Leaf{n}(Base):\n    own{n}: int = 1\n" for n in range(20)),
    "number-signs": "class S(BaseSettings):\n    a: int = 1" + "e-" * 30000 + "\n",
    "alias-choices-deep": "class S(BaseSettings):\n    a: str = Field('x', validation_alias=" + "AliasChoices(" * 31 + "'A'" + ")" * 31 + ")\n",
    "forward-refs": "class S(BaseSettings):\n    a: \"Optional['list[\\\"int\\\"]']\" = None\n",
    "unterminated-triple": "class S(BaseSettings):\n    '''never closed\n",
    "bare-cr": "class S(BaseSettings):\r    a: str = ''\r    b: int = 1\r\n",
    "no-settings": "class Plain:\n    a: int = 1\n",
    "unreadable-aliases": "class S(BaseSettings):\n    a: str = Field(validation_alias=AliasChoices())\n"
                          "    b: str = Field(validation_alias=AliasChoices(\"X\" y \"Z\"))\n    c: str = Field(alias=[])\n",
    "empty": "",
}

EXAMPLE = {
    "clean": (FIXTURES / "clean" / ".env.example").read_text(),
    "drifted": (FIXTURES / "drifted" / ".env.example").read_text(),
    "line-breaks": "# [VAULT]\rA=1\r\n# B=commented\rC=\"multi\rline\" # note\rD=4\n",
    "keys-4096": "".join(f"A{n}=1\n# B{n}=2\n" for n in range(2048)),
    "keys-4097": "".join(f"A{n}=1\n# B{n}=2\n" for n in range(2048)) + "# C=1\n",
    "comment-block-20000": "# note\n" * 20000 + "A=1\n",
    "unterminated-quote": "A=\"open\n",
    "empty": "",
}


def keys_triple(fixture):
    parts = [(FIXTURES / fixture / name).read_text() for name in ("secrets.ctmpl", "config.py", ".env.example")]
    return "\0".join(parts)


def wide_triple(n):
    template = "".join(f"K{i}={{{{ .x }}}}\n" for i in range(n))
    settings = "class S(BaseSettings):\n" + "".join(f"    k{i}: str\n" for i in range(n))
    example = "".join(f"# [VAULT]\nK{i}=v\n" for i in range(n))
    return "\0".join([template, settings, example])


def snapshot(keys, resources="[]", env='{"name": "staging", "kind": "staging", "key": "ENVIRONMENT"}', extra=""):
    return ('{"schema_version": 1, "tool": "envcheck", "mode": "snapshot", "created_at": "2026-12-04T00:00:00.000Z", '
            f'"environment": {env}, "fingerprint_key_id": "0a1b2c3d", "keys": {keys}, "resources": {resources}, "notes": []{extra}}}')


SNAPSHOT_KEY = ('{"key": "SECRET_KEY", "source": ".env:2", "secret": true, "value": null, "length": 40, '
                '"fingerprint": "hmac:0a0b0c0d", "probes": ["policy"]}')
SNAPSHOT_PLAIN = '{"key": "S3_BUCKET", "source": "env", "secret": false, "value": "uploads", "length": 7, "fingerprint": null, "probes": ["s3"]}'
SNAPSHOT_DB = '{"probe": "postgres", "what": "database", "host": "db.example.com", "port": 5432, "name": "app", "key": "DATABASE_URL"}'

SNAPSHOT = {
    "clean": snapshot(f"[{SNAPSHOT_KEY}, {SNAPSHOT_PLAIN}]", f"[{SNAPSHOT_DB}]"),
    "with-probes": snapshot(f"[{SNAPSHOT_PLAIN}]", extra=', "probes": [{"id": "s3", "kind": "s3", "status": "pass", "message": "ok"}]'),
    "no-environment-name": snapshot("[]", env='{"name": null, "kind": "local", "key": null}'),
    "foreign-mode": '{"schema_version": 1, "tool": "envcheck", "mode": "check", "probes": []}',
    "newer-schema": '{"schema_version": 9, "tool": "envcheck", "mode": "snapshot"}',
    "secret-with-value": snapshot('[{"key": "K", "secret": true, "length": 3, "value": "abc"}]'),
    "key-without-fields": snapshot('[{"key": "K"}]'),
    "resource-without-host": snapshot("[]", '[{"what": "bucket", "name": "b"}]'),
    "not-json": "snapshot",
    "wide-4096": snapshot("[" + ", ".join(
        f'{{"key": "K{i}", "source": "env", "secret": false, "value": "v{i}", "length": 2, "fingerprint": null, "probes": []}}'
        for i in range(4096)) + "]"),
    "deep": "[" * 100000,
}

KEYS = {
    "clean": keys_triple("clean"),
    "drifted": keys_triple("drifted"),
    "wide-4096": wide_triple(4096),
    "two-parts": "A=1\0class S(BaseSettings): pass\n",
}


def main():
    generated = {
        "interpolation": INTERPOLATION, "manifest": MANIFEST, "json": JSON, "template": TEMPLATE,
        "settings": SETTINGS, "example": EXAMPLE, "keys": KEYS, "snapshot": SNAPSHOT,
    }
    for dialect in ("dotenv", "compose", "systemd"):
        generated[f"env-{dialect}"] = {**ENV, **ENV_BYTES, **(ENV_DOTENV_ONLY if dialect == "dotenv" else {})}
    generated["manifest"] = {**MANIFEST, **MANIFEST_BYTES}
    for target, seeds in generated.items():
        for name, data in seeds.items():
            write(target, name, data)


if __name__ == "__main__":
    main()
