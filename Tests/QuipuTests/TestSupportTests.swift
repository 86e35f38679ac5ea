import Foundation
import QuipuTestSupport
import Testing

/// The shared test support (Tests/QuipuTestSupport): a reference suite whose fixture is missing or
/// empty fails, naming the file, instead of comparing nothing; `expectClose` records an issue when
/// values are not close or one is missing.
@Suite struct TestSupportTests {
    @Test func aMissingFixtureThrowsWithItsPath() throws {
        let path = "Tests/Fixtures/no-such-folder/reference.json"
        do {
            _ = try Fixture.data(path)
            Issue.record("a missing fixture was read")
        } catch let error as FixtureError {
            #expect(error.path == Fixture.repositoryRoot.appendingPathComponent(path).path)
            #expect(error.description.contains("no-such-folder/reference.json") && error.description.contains("does not exist"), "\(error)")
        }
    }

    @Test(arguments: ["", "\n", "  \r\n\t"])
    func anEmptyFixtureThrowsWithItsPath(contents: String) throws {
        let path = try temporaryFile(contents, name: "empty.json")
        #expect(throws: FixtureError.self) { try Fixture.jsonObject(path) }
        do {
            _ = try Fixture.data(path)
        } catch let error as FixtureError {
            #expect(error.path == path)
            #expect(error.description == "fixture \(path) is empty")
        }
    }

    @Test func aFixtureOfTheWrongShapeThrows() throws {
        let path = try temporaryFile("[1, 2]", name: "list.json")
        #expect(throws: FixtureError.self) { try Fixture.jsonObject(path) }
    }

    @Test func aFixtureIsRead() throws {
        let path = try temporaryFile("{\"a\": 1.5}", name: "small.json")
        #expect(try Fixture.jsonObject(path)["a"] as? Double == 1.5)
        // Relative paths are taken from the repository root.
        #expect(try Fixture.text("Datasets/mpdta/mpdta.csv").hasPrefix("year,"))
    }

    @Test func expectCloseRecordsAnIssueOnlyWhenValuesDiffer() {
        #expect(expectClose(1.0, 1.0 + 1e-12, relative: 1e-10))
        #expect(expectClose(.nan, .nan))
        withKnownIssue("outside the tolerance") {
            expectClose(1.0, 1.1, relative: 1e-3, "a coefficient")
        }
        withKnownIssue("a missing value") {
            expectClose(nil, 1.0, absolute: 1)
        }
    }
}
