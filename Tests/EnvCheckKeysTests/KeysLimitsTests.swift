import TestSupport
import Testing

@testable import EnvCheckCore
@testable import EnvCheckKeys

private func inputError(_ body: () throws -> Void) -> KeysInputError? {
    do {
        try body()
        return nil
    } catch {
        return error as? KeysInputError
    }
}

@Suite("keys: template limits")
struct TemplateLimitsTests {
    func nestedBlocks(_ n: Int) -> String {
        String(repeating: "{{ if .x }}\n", count: n) + "A=1\n" + String(repeating: "{{ end }}\n", count: n)
    }

    @Test func thirtyTwoNestedBlocksAreReadAndThirtyThreeAreNot() throws {
        let keys = try TemplateParser.parse(nestedBlocks(32), path: "t.ctmpl")
        #expect(keys.map(\.line) == [33])
        #expect(keys.first?.arms.count == 32)
        let over = inputError { _ = try TemplateParser.parse(nestedBlocks(33), path: "t.ctmpl") }
        #expect(over?.description == "t.ctmpl:33: blocks are nested more than 32 deep (the limit for a template)")
        #expect(inputError { _ = try TemplateParser.parse(nestedBlocks(40_000), path: "t.ctmpl") }?.line == 33)
    }

    @Test func atMost4096Keys() throws {
        let lines = (1...Limits.keysPerFile).map { "K\($0)={{ .x }}\n" }.joined()
        #expect(try TemplateParser.parse(lines, path: "t").count == Limits.keysPerFile)
        #expect(inputError { _ = try TemplateParser.parse(lines + "MORE=1\n", path: "t") }?.line == Limits.keysPerFile + 1)
    }

    @Test func aBareCarriageReturnEndsALineAndLongLinesAreErrors() throws {
        let keys = try TemplateParser.parse("A={{ .a }}\rB={{ .b }}\r\nC=3", path: "t")
        #expect(keys.map { "\($0.key)@\($0.line)" } == ["A@1", "B@2", "C@3"])
        let long = "A=" + String(repeating: "v", count: Limits.lineBytes)
        #expect(
            inputError { _ = try TemplateParser.parse("X=1\n" + long, path: "t") }?.description
                == "t:2: the line is longer than 64 KiB, the limit for one line")
    }

    @Test func manyArmsOfOneKeyAreCheckedForDuplicatesQuickly() throws {
        // 4000 arms of one block all render A: exclusive pairs, no duplicate; then one outside.
        let text = "{{ if .a }}\nA=0\n" + (1..<4000).map { "{{ else if .a\($0) }}\nA=\($0)\n" }.joined() + "{{ end }}\nA=x\n"
        let keys = try TemplateParser.parse(text, path: "t")
        let start = ContinuousClock.now
        let duplicates = KeysChecker.templateDuplicates(keys)
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(duplicates.map(\.line) == [8002])
    }

    /// The duplicate finder agrees with comparing every pair, on random nested templates.
    @Test func duplicatesMatchThePairwiseDefinition() throws {
        var rng = SplitMix64()
        for round in 0..<200 {
            var text = ""
            var open = 0
            for _ in 0..<Int.random(in: 1...40, using: &rng) {
                switch Int.random(in: 0..<6, using: &rng) {
                case 0 where open < 6:
                    text += "{{ if .x }}"
                    open += 1
                case 1 where open > 0: text += "{{ else }}"
                case 2 where open > 0:
                    text += "{{ end }}"
                    open -= 1
                default: text += "\(["A", "B", "C"].randomElement(using: &rng)!)=1\n"
                }
                if Bool.random(using: &rng) { text += "\n" }
            }
            text += String(repeating: "{{ end }}", count: open)
            let keys = try TemplateParser.parse(text, path: "t")
            let other = try TemplateParser.parse(text, path: "u")
            for all in [keys, keys + other] {
                let pairwise = all.indices.compactMap { n in
                    all[..<n].firstIndex { $0.key == all[n].key && !$0.isExclusive(with: all[n]) }.map { "\(all[n].file):\(all[n].line) first \(all[$0].line)" }
                }
                let found = KeysChecker.templateDuplicates(all).map {
                    "\($0.file):\($0.line) first \(String(describing: $0.message).split(separator: ":")[1].prefix { $0.isNumber })"
                }
                #expect(found == pairwise, "round \(round), seed \(rng.seed): \(text)")
            }
        }
    }

    @Test func exclusivityIsAboutSharedBlocksOnly() throws {
        let keys = try TemplateParser.parse(
            """
            {{ with .a }}
            {{ if .b }}A=1{{ else }}A=2{{ end }}
            {{ else }}
            {{ if .c }}A=3{{ end }}
            {{ end }}
            {{ if .d }}A=4{{ end }}
            """, path: "t")
        #expect(keys.count == 4)
        #expect(keys[0].isExclusive(with: keys[1]) && keys[1].isExclusive(with: keys[0]))
        #expect(keys[0].isExclusive(with: keys[2]) && keys[1].isExclusive(with: keys[2]))
        #expect(!keys[0].isExclusive(with: keys[3]) && !keys[2].isExclusive(with: keys[3]))
    }
}

@Suite("keys: settings limits")
struct SettingsLimitsTests {
    func parse(_ text: String) throws(KeysInputError) -> [SettingsClass] {
        try SettingsParser.parse(text, path: "config.py")
    }

    @Test func bracketsNestAtMostThirtyTwoDeep() throws {
        let annotation = { (n: Int) in String(repeating: "list[", count: n) + "int" + String(repeating: "]", count: n) }
        let fits = "class S(BaseSettings):\n    a: \(annotation(32)) = []\n"
        #expect(try parse(fits).first?.fields.first?.type.kinds == [.jsonArray])
        let over = "class S(BaseSettings):\n    a: \(annotation(33)) = []\n"
        #expect(inputError { _ = try parse(over) }?.description == "config.py:2: brackets are nested more than 32 deep (the limit for a settings module)")
        #expect(inputError { _ = try parse("x = " + String(repeating: "(", count: 60_000) + "\n") }?.line == 1)
    }

    @Test func inheritanceChainsAreBoundedAndDiamondsAreCheap() throws {
        let chain = { (n: Int) in
            "class C0(BaseSettings):\n    f0: str = ''\n" + (1..<n).map { "class C\($0)(C\($0 - 1)):\n    f\($0): str = ''\n" }.joined()
        }
        #expect(try parse(chain(32)).map(\.fields.count) == [32])
        let deep = inputError { _ = try parse(chain(33)) }
        #expect(deep?.description == "config.py:65: class C32 inherits through more than 32 classes (the limit for a settings module)")
        // Each level derives from both classes of the level below: 2^30 paths, 60 classes.
        var diamond = "class A0(BaseSettings):\n    a0: str = ''\nclass B0(BaseSettings):\n    b0: str = ''\n"
        for n in 1..<30 {
            diamond += "class A\(n)(A\(n - 1), B\(n - 1)):\n    a\(n): str = ''\nclass B\(n)(B\(n - 1), A\(n - 1)):\n    b\(n): str = ''\n"
        }
        diamond += "class Leaf(A29, B29):\n    leaf: str = ''\n"
        let start = ContinuousClock.now
        let classes = try parse(diamond)
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(classes.map(\.name) == ["Leaf"])
        #expect(classes.first?.fields.count == 61)
    }

    @Test func cyclesEndQuietly() throws {
        // A class redefined later in a module can make the last definitions a cycle.
        let classes = try parse(
            "class S(BaseSettings):\n    s: str = ''\nclass A(B):\n    a: str = ''\nclass B(A, S):\n    b: str = ''\nclass C(A):\n    c: str = ''\n")
        #expect(classes.map(\.name) == ["C"])
        #expect(Set(classes.first?.fields.map(\.name) ?? []) == ["s", "a", "b", "c"])
        let loop = inputError { _ = try parse("class A(B):\n    a: str = ''\nclass B(A):\n    b: str = ''\n") }
        #expect(loop?.message.contains("no class deriving from BaseSettings") == true)
    }

    @Test func fieldsAndClassesPerModule() throws {
        let fields = { (n: Int) in "class S(BaseSettings):\n" + (0..<n).map { "    f\($0): str = ''\n" }.joined() }
        #expect(try parse(fields(Limits.keysPerFile)).first?.fields.count == Limits.keysPerFile)
        #expect(
            inputError { _ = try parse(fields(Limits.keysPerFile + 1)) }?.description
                == "config.py:4098: more than 4096 fields in one settings module (the limit)")
        let classes = (0...Limits.classesPerFile).map { "class K\($0)(BaseSettings):\n    pass\n" }.joined()
        #expect(inputError { _ = try parse(classes) }?.line == 2 * Limits.classesPerFile + 1)
    }

    @Test func numbersWithManySignsAreReadInLinearTime() throws {
        let start = ContinuousClock.now
        let number = "1" + String(repeating: "e-", count: 30_000)
        _ = try? parse("class S(BaseSettings):\n    a: int = \(number)\n")
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    /// Found by fuzzing the keys checker: an alias whose names cannot be read left a field
    /// with no env name, and the checker indexed the first one.
    @Test func aFieldAlwaysHasAnEnvName() throws {
        let classes = try parse(
            "class S(BaseSettings):\n    a: str = Field(validation_alias=AliasChoices())\n"
                + "    b: str = Field(validation_alias=AliasChoices(\"X\" y \"Z\"))\n    c: str = Field(alias=[])\n")
        #expect(classes.first?.fields.map(\.envNames) == [["A"], ["B"], ["C"]])
        let findings = KeysChecker.check(KeysLayers(template: nil, settings: classes, example: []), options: KeysOptions())
        #expect(findings.map(\.key) == ["A", "A", "B", "B", "C", "C"])
    }

    @Test func aBareCarriageReturnEndsALine() throws {
        let classes = try parse("class S(BaseSettings):\r    a: str = ''\r    b: int = 1\r\n")
        #expect(classes.first?.fields.map(\.line) == [2, 3])
    }
}

@Suite("keys: example limits")
struct ExampleLimitsTests {
    @Test func lineBreaksAgreeWithTheEnvFileParser() throws {
        let entries = try ExampleParser.parse("# [VAULT]\rA=1\r\n# B=commented\rC=\"multi\rline\" # note\rD=4\n", path: ".env.example")
        #expect(entries.map { "\($0.key)@\($0.line)" } == ["A@2", "B@3", "C@4", "D@6"])
        #expect(entries.first?.isVault == true)
        #expect(entries[2].value == "multi\nline")
        #expect(entries[2].comment == "note")
    }

    @Test func commentedOutKeysCountTowardsTheLimit() throws {
        let half = (0..<(Limits.keysPerFile / 2)).map { "A\($0)=1\n# B\($0)=2\n" }.joined()
        #expect(try ExampleParser.parse(half, path: "e").count == Limits.keysPerFile)
        #expect(inputError { _ = try ExampleParser.parse(half + "# C=1\n", path: "e") }?.line == Limits.keysPerFile + 1)
    }
}

@Suite("keys: checker scale")
struct KeysCheckerScaleTests {
    /// Every lookup between layers is indexed: 4096 keys in each layer used to take minutes.
    @Test func fourThousandKeysInEveryLayerAreCheckedQuickly() throws {
        let n = Limits.keysPerFile
        let template = try TemplateParser.parse((0..<n).map { "K\($0)={{ .x }}\n" }.joined(), path: "t")
        let settings = try SettingsParser.parse("class S(BaseSettings):\n" + (0..<n).map { "    k\($0): str\n" }.joined(), path: "s")
        let example = try ExampleParser.parse((1..<n).map { "# [VAULT]\nK\($0)=v\n" }.joined() + "EXTRA=1\n", path: "e")
        let start = ContinuousClock.now
        let findings = KeysChecker.check(KeysLayers(template: template, settings: settings, example: example), options: KeysOptions())
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(findings.map { "\($0.code.rawValue) \($0.key)" } == ["template_key_not_vault K0", "field_not_in_example K0", "example_key_unknown EXTRA"])
    }
}
