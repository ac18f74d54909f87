"""Writes a synthetic Next.js build directory for the benchmark: minified-JS-like client
chunks (webpack module maps with short identifiers, JSX calls, Tailwind class strings,
numbers and URLs), some CSS and source maps under static/, and a few prerendered pages
under server/app. The NEXT_PUBLIC_* values are inlined, as webpack's DefinePlugin does,
into a few chunks only, so a scan must read every byte to prove them.

Usage: python3 bench_tree.py DIR TOTAL_MB FILES VALUE...
It is deterministic (fixed seed) and needs only the standard library.
"""
import os
import random
import sys

DIR, TOTAL_MB, FILES = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
VALUES = sys.argv[4:]
rng = random.Random(20240611)

LETTERS = "abcdefghijklmnopqrstuvwxyz"
WORDS = ("useState useEffect useMemo useCallback createElement children className props value onClick "
         "default exports module require Fragment jsx jsxs forwardRef displayName assign defineProperty "
         "prototype length push call apply then catch resolve reject fetch headers status json text "
         "items map filter reduce keys entries toString includes indexOf slice concat").split()
CLASSES = ("flex items-center justify-between px-4 py-2 text-sm font-medium rounded-md bg-white "
           "text-gray-900 hover:bg-gray-50 focus:outline-none grid gap-4 md:grid-cols-3 w-full h-10 "
           "border border-gray-200 shadow-sm space-y-2 truncate opacity-50 transition-colors").split()


def ident():
    return rng.choice(LETTERS) if rng.random() < 0.7 else rng.choice(LETTERS) + rng.choice(LETTERS + "0123456789")


def string_literal():
    roll = rng.random()
    if roll < 0.4:
        return '"' + " ".join(rng.sample(CLASSES, rng.randint(2, 6))) + '"'
    if roll < 0.6:
        return '"/' + "/".join(rng.choice(WORDS).lower() for _ in range(rng.randint(1, 3))) + '"'
    return '"' + rng.choice(WORDS) + '"'


def statement():
    roll = rng.random()
    a, b, c = ident(), ident(), ident()
    if roll < 0.25:
        return f"var {a}={b}({rng.randint(100, 99999)}),{c}={b}.n({a})"
    if roll < 0.5:
        return f"return(0,{a}.jsx)({string_literal()},{{className:{string_literal()},children:[{b},{c}.{rng.choice(WORDS)}]}})"
    if roll < 0.7:
        return f"let{{{rng.choice(WORDS)}:{a},{rng.choice(WORDS)}:{b}}}={c}"
    if roll < 0.85:
        return f"if(!{a}||{a}.length<{rng.randint(1, 64)})throw Error({string_literal()})"
    return f"{a}.{rng.choice(WORDS)}={b}?{c}[{rng.randint(0, 9)}]:{string_literal()}"


def module():
    body = ";".join(statement() for _ in range(rng.randint(4, 24)))
    return f"{rng.randint(1000, 99999)}:function({ident()},{ident()},{ident()}){{\"use strict\";{body}}}"


# A pool of distinct modules; files are shuffled concatenations of them.
POOL = [module() for _ in range(6000)]


def chunk(size, inline=None):
    parts, used = [], 0
    if inline is not None:
        parts.append(f'{rng.randint(1000, 99999)}:function(e,t,n){{"use strict";let a="{inline}";t.default=a}}')
    while used < size:
        piece = rng.choice(POOL)
        parts.append(piece)
        used += len(piece) + 1
    return "(self.webpackChunk_N_E=self.webpackChunk_N_E||[]).push([[" + str(rng.randint(1, 999)) + "],{" + ",".join(parts) + "}]);"


def css(size):
    rules, used = [], 0
    while used < size:
        rule = "." + rng.choice(CLASSES).replace(":", "\\:") + "{" + rng.choice(["display:flex", "margin:0", "padding:.5rem", "color:#111827"]) + "}"
        rules.append(rule)
        used += len(rule)
    return "".join(rules)


def source_map(size):
    mappings = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/;,") for _ in range(4096))
    return '{"version":3,"sources":["webpack://_N_E/./app/page.tsx"],"mappings":"' + mappings * max(1, size // 4096) + '"}'


def write(relative, text):
    path = os.path.join(DIR, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        handle.write(text)
    return len(text)


def main():
    total = TOTAL_MB * 1024 * 1024
    # Sizes like a real build's: many small chunks, a few large ones (at most 4 MiB); the
    # sum is TOTAL_MB.
    weights = [rng.lognormvariate(0, 1.2) for _ in range(FILES)]
    scale = total / sum(weights)
    sizes = [min(4 << 20, max(512, int(w * scale))) for w in weights]
    sizes = [int(s * total / sum(sizes)) for s in sizes]
    carriers = {FILES // 7: 0, FILES // 2: 1, FILES - 3: 2}  # which files inline which value
    written = 0
    for n, size in enumerate(sizes):
        kind = rng.random()
        if kind < 0.05 and n not in carriers:
            written += write(f"static/css/{n:05x}.css", css(size))
        elif kind < 0.08 and n not in carriers:
            written += write(f"static/chunks/{n:05x}.js.map", source_map(size))
        else:
            group = ["app", "pages", "app/dashboard", ""][n % 4]
            inline = None
            if n in carriers and VALUES:
                inline = VALUES[carriers[n] % len(VALUES)]
            # Every value appears at least once: the last carrier takes any left over.
            text = chunk(size, inline)
            if n == FILES - 3:
                for value in VALUES[3:]:
                    text = text[:-4] + f',9{len(text) % 1000}:function(e,t,n){{t.default="{value}"}}' + text[-4:]
            written += write(f"static/chunks/{group}/{n:05x}-{rng.getrandbits(40):010x}.js".replace("//", "/"), text)
    for page in ["index", "about", "dashboard", "login"]:
        written += write(f"server/app/{page}.html", "<!DOCTYPE html><html><body><main>" + css(4096) + "</main></body></html>")
    print(f"{written / 1048576:.0f} MiB in {FILES + 4} files")


main()
