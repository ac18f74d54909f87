import Testing

@testable import EnvCheckCore

private func parse(_ text: String, _ dialect: EnvDialect = .dotenv, env: [String: String] = [:]) throws(EnvFileError) -> [EnvAssignment] {
    try EnvFileParser.parseAll(text, path: "app.env", dialect: dialect, lookup: { env[$0] })
}

private func error(_ text: String, _ dialect: EnvDialect = .dotenv, env: [String: String] = [:]) -> EnvFileError? {
    do {
        _ = try parse(text, dialect, env: env)
        return nil
    } catch {
        return error
    }
}

/// `${UNSET:-${UNSET:-...x...}}` with `depth` nested expressions.
private func nested(_ depth: Int) -> String {
    String(repeating: "${UNSET:-", count: depth) + "x" + String(repeating: "}", count: depth)
}

@Suite("env files: limits")
struct EnvFileLimitsTests {
    @Test(arguments: EnvDialect.allCases)
    func aFileOfOneMebibyteIsReadAndOneByteMoreIsNot(dialect: EnvDialect) throws {
        // 16 lines of 65535 value bytes plus "K0=" etc. would pass the line limit; fill with comments.
        let line = "#" + String(repeating: "c", count: Limits.lineBytes - 1) + "\n"
        var text = String(repeating: line, count: Limits.fileBytes / line.utf8.count)
        text += "A=" + String(repeating: "v", count: Limits.fileBytes - text.utf8.count - 3) + "\n"
        #expect(text.utf8.count == Limits.fileBytes)
        #expect(try parse(text, dialect).map(\.key) == ["A"])
        let over = error(text + "B", dialect)
        #expect(over?.line == 1)
        #expect(over?.description.hasPrefix("app.env:1: the file is larger than 1 MiB") == true, "\(String(describing: over))")
    }

    @Test(arguments: EnvDialect.allCases)
    func aLineOfSixtyFourKibibytesIsReadAndOneByteMoreIsNot(dialect: EnvDialect) throws {
        let value = String(repeating: "v", count: Limits.lineBytes - 2)
        #expect(try parse("A=1\r\nB=2\nC=\(value)\n", dialect).last?.value == value)
        let over = error("A=1\r\nB=2\nC=\(value)v\n", dialect)
        #expect(over?.line == 3)
        #expect(over?.message.contains("longer than 64 KiB") == true)
        #expect(over?.description.contains("vvv") == false, "the line's text is never echoed")
    }

    @Test(arguments: EnvDialect.allCases)
    func atMost4096AssignmentsPerFile(dialect: EnvDialect) throws {
        let lines = (1...Limits.keysPerFile).map { "K\($0)=v\n" }.joined()
        #expect(try parse(lines, dialect).count == Limits.keysPerFile)
        let over = error(lines + "# one more\nLAST=v\n", dialect)
        #expect(over?.line == Limits.keysPerFile + 2)
        #expect(over?.message.contains("more than 4096 assignments") == true)
    }

    @Test func theResolverReadsAtMostOneByteMoreThanTheLimit() throws {
        // /dev/zero never ends: the bounded read stops, and the parser names line 1.
        let bytes = try FileSystem.readInput("/dev/zero")
        #expect(bytes.count == Limits.fileBytes + 1)
        #expect(throws: ConfigResolver.Failure.self) {
            _ = try ConfigResolver.resolve(ConfigResolver.Options(envFiles: ["/dev/zero"]), environment: [:])
        }
        do {
            _ = try ConfigResolver.resolve(ConfigResolver.Options(envFiles: ["/dev/zero"]), environment: [:])
        } catch {
            #expect(error.description.hasPrefix("/dev/zero:1: the file is larger than 1 MiB"), "\(error)")
        }
    }
}

@Suite("env files: line breaks")
struct EnvFileLineBreakTests {
    @Test(arguments: EnvDialect.allCases)
    func aBareCarriageReturnEndsALine(dialect: EnvDialect) throws {
        let a = try parse("A=1\rB=2\r\nC=3\nD=4", dialect)
        #expect(a.map(\.key) == ["A", "B", "C", "D"])
        #expect(a.map(\.value) == ["1", "2", "3", "4"])
        #expect(a.map(\.line) == [1, 2, 3, 4])
    }

    @Test(arguments: EnvDialect.allCases)
    func aCarriageReturnInsideQuotesIsANewlineNotAMergedLine(dialect: EnvDialect) throws {
        let a = try parse("A=\"x\ry\"\rB=2\n", dialect)
        #expect(a.map(\.value) == ["x\ny", "2"])
        #expect(a.map(\.line) == [1, 3])
    }

    @Test(arguments: EnvDialect.allCases)
    func errorsAfterCarriageReturnsNameTheRightLine(dialect: EnvDialect) {
        #expect(error("A=1\rB=2\r\rBAD LINE\r", dialect)?.line == 4)
    }
}

@Suite("env files: interpolation limits")
struct InterpolationLimitsTests {
    @Test(arguments: [EnvDialect.dotenv, .compose])
    func thirtyTwoLevelsOfNestingAreReadAndThirtyThreeAreNot(dialect: EnvDialect) throws {
        #expect(try parse("K=\(nested(32))\n", dialect).first?.value == "x")
        let over = error("A=1\nK=\(nested(33))\n", dialect)
        #expect(over?.line == 2)
        #expect(over?.message.contains("nested more than 32 deep") == true, "\(String(describing: over))")
    }

    @Test func aRequiredVariableErrorNeverShowsItsMessageOrAnyValue() {
        let secret = "hunter2-Sup3rS3cret"
        for text in [
            "A=${NEEDED:?secret-looking message \(secret)}\n", "A=${NEEDED?secret-looking message}\n",
            "A=${NEEDED:?${TOKEN}}\n", "A=\"prefix ${TOKEN} ${NEEDED:?the token is ${TOKEN}}\"\n",
        ] {
            let e = error(text, .compose, env: ["TOKEN": secret])
            #expect(e?.line == 1, "\(text)")
            #expect(e?.message.contains("NEEDED") == true)
            #expect(e?.description.contains("secret-looking") == false, "\(String(describing: e))")
            #expect(e?.description.contains(secret) == false, "\(String(describing: e))")
        }
        #expect(error("A=${EMPTY:?msg}\n", .compose, env: ["EMPTY": ""])?.message.contains("unset or empty") == true)
        #expect(error("A=${EMPTY?msg}\n", .compose, env: ["EMPTY": ""]) == nil)
    }

    @Test func aValueCannotGrowPastOneMebibyte() throws {
        let big = String(repeating: "b", count: 300_000)
        #expect(try parse("V=${BIG}${BIG}${BIG}\n", env: ["BIG": big]).first?.value.utf8.count == 900_000)
        let over = error("A=1\nV=${BIG}${BIG}${BIG}${BIG}\n", env: ["BIG": big])
        #expect(over?.line == 2)
        #expect(over?.message.contains("longer than 1 MiB after interpolation") == true, "\(String(describing: over))")
        // A default that is expanded but not used does not count.
        #expect(try parse("V=${SET:-${BIG}${BIG}${BIG}${BIG}}\n", .compose, env: ["BIG": big, "SET": "s"]).first?.value == "s")
    }

    @Test func aFilesValuesCannotGrowPastFourMebibytes() throws {
        let big = String(repeating: "b", count: 900_000)
        let lines = (1...4).map { "V\($0)=${BIG}\n" }.joined()
        #expect(try parse(lines, env: ["BIG": big]).count == 4)
        let over = error(lines + "V5=${BIG}\n", env: ["BIG": big])
        #expect(over?.line == 5)
        #expect(over?.message.contains("more than 4 MiB after interpolation") == true, "\(String(describing: over))")
    }

    @Test func anUnsetNameIsNotedOncePerValue() throws {
        let a = try parse("A=\(String(repeating: "${NOPE}", count: 1000))\n")
        #expect(a[0].notes == ["${NOPE} is not set, so it was interpolated as an empty string"])
    }

    @Test func manifestTemplatesReportTheSameLimits() {
        let big = String(repeating: "b", count: 600_000)
        let lookup: (String) -> String? = { $0 == "BIG" ? big : nil }
        #expect(Interpolation.problem(expanding: "${BIG}", lookup: lookup) == nil)
        #expect(Interpolation.problem(expanding: "${BIG}${BIG}", lookup: lookup)?.contains("longer than 1 MiB") == true)
        #expect(Interpolation.expand("${BIG}${BIG}", lookup: lookup).value == "")
        #expect(Interpolation.problem(expanding: nested(33), lookup: lookup)?.contains("nested more than 32") == true)
        #expect(Interpolation.expand(nested(32), lookup: lookup).value == "x")
    }
}
