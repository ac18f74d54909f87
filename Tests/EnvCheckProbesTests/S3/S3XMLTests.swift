import Testing

@testable import EnvCheckProbes

@Suite struct S3XMLTests {
    static let authError = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Error><Code>AuthorizationHeaderMalformed</Code><Message>The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'</Message><Region>eu-west-1</Region><RequestId>R1</RequestId><HostId>H1</HostId></Error>
        """

    @Test func readsTheErrorElements() throws {
        let body = try #require(S3ErrorBody(xml: Self.authError))
        #expect(body.code == "AuthorizationHeaderMalformed")
        #expect(body.region == "eu-west-1")
        #expect(body.message?.hasSuffix("expecting 'eu-west-1'") == true)
        #expect(body.endpoint == nil)
    }

    @Test func entitiesAttributesAndEmptyElements() {
        let xml = #"<Error xmlns="x"><CodeX>no</CodeX><Code attr="1">A&amp;B &lt;c&gt; &#65;&#x42; &bogus;</Code><Region/><Endpoint></Endpoint></Error>"#
        #expect(S3XML.text(of: "Code", in: xml) == "A&B <c> AB &bogus;")
        #expect(S3XML.text(of: "Region", in: xml) == "")
        #expect(S3XML.text(of: "Endpoint", in: xml) == "")
        #expect(S3XML.text(of: "Missing", in: xml) == nil)
        #expect(S3XML.text(of: "Code", in: "<Code>unterminated") == nil)
    }

    @Test func nonErrorBodiesAreNotErrors() {
        #expect(S3ErrorBody(xml: "") == nil)
        #expect(S3ErrorBody(xml: "<html><body>Bad Gateway</body></html>") == nil)
        #expect(S3ErrorBody(xml: "<ListBucketResult><KeyCount>0</KeyCount></ListBucketResult>") == nil)
    }

    @Test func parsesHTTPDates() {
        #expect(HTTPDate.parseRFC1123("Fri, 24 May 2013 00:00:00 GMT") == 1_369_353_600)
        #expect(HTTPDate.parseRFC1123("Sun, 30 Aug 2015 12:36:00 GMT") == 1_440_938_160)
        #expect(HTTPDate.parseRFC1123("Thu, 29 Feb 2024 23:59:59 GMT") == 1_709_251_199)
        #expect(HTTPDate.parseRFC1123("Thu, 01 Jan 1970 00:00:00 GMT") == 0)
        #expect(HTTPDate.parseRFC1123("Fri, 24 Foo 2013 00:00:00 GMT") == nil)
        #expect(HTTPDate.parseRFC1123("Fri, 24 May 2013 25:00:00 GMT") == nil)
        #expect(HTTPDate.parseRFC1123("yesterday") == nil)
        #expect(HTTPDate.parseISO8601("2013-05-24T00:00:00Z") == 1_369_353_600)
        #expect(HTTPDate.parseISO8601("2015-08-30T12:36:00.123Z") == 1_440_938_160)
        #expect(HTTPDate.parseISO8601("30/08/2015") == nil)
        #expect(HTTPDate.parseRFC1123("Fri, 24 May 2013 0:00:00 GMT") == nil)
        #expect(HTTPDate.describe(seconds: -1205) == "20m 5s")
        #expect(HTTPDate.describe(seconds: 7320) == "2h 2m")
    }
}
