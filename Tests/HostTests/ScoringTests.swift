import XCTest
@testable import Host

final class ScoringTests: XCTestCase {
    func testWorkedExampleOfTheManual() {
        XCTAssertEqual(Scoring.combine([70, 70, 50, 40, 40]), 84.195859375, accuracy: 1e-9)
        // Order of the sub-scores does not matter: they are sorted descending first.
        XCTAssertEqual(Scoring.combine([40, 50, 70, 40, 70]), 84.195859375, accuracy: 1e-9)
    }

    func testSingleAndEmpty() {
        XCTAssertEqual(Scoring.combine([75]), 75, accuracy: 1e-12)
        XCTAssertEqual(Scoring.combine([]), 0)
        XCTAssertEqual(Scoring.combine([100, 100]), 100, accuracy: 1e-12)
    }

    func testNegativeScoresAreSubtractedAfterCombining() {
        // 70 and 60: 100 * (1 - 0.3 * 0.7) = 79; then -30.
        XCTAssertEqual(Scoring.combine([70, 60, -30]), 49, accuracy: 1e-9)
        XCTAssertEqual(Scoring.combine([40, -100]), 0)
    }

    func testLevels() {
        let s = Scoring()
        XCTAssertNil(s.level(total: 39.9, subScores: [39.9]))
        XCTAssertEqual(s.level(total: 40, subScores: [40]), .notice)
        XCTAssertEqual(s.level(total: 60, subScores: [60]), .warning)
        XCTAssertEqual(s.level(total: 81, subScores: [81]), .alert)
        XCTAssertEqual(s.level(total: 100, subScores: [100]), .alert)
    }

    func testAlertNeedsASubScoreAboveSeventyFive() {
        let s = Scoring()
        let subScores: [Double] = [70, 70, 70]
        let total = Scoring.combine(subScores) // 100 * (1 - 0.3 * 0.65 * 0.825) = 83.91...
        XCTAssertEqual(total, 83.9125, accuracy: 1e-9)
        XCTAssertEqual(s.level(total: total, subScores: subScores), .warning)
        XCTAssertEqual(s.level(total: Scoring.combine([76, 50]), subScores: [76, 50]), .alert) // 82
        XCTAssertEqual(s.level(total: Scoring.combine([75, 75]), subScores: [75, 75]), .warning)
    }

    func testThresholdsAreConfigurable() {
        var s = Scoring()
        s.minimum = 20
        s.notice = 20
        s.warning = 50
        s.alert = 70
        XCTAssertEqual(s.level(total: 25, subScores: [25]), .notice)
        XCTAssertEqual(s.level(total: 55, subScores: [55]), .warning)
        XCTAssertEqual(s.level(total: 80, subScores: [80]), .alert)
    }
}
