@testable import EVTX
import XCTest

/// The folding CRC (used from 64 bytes on) equals a bit-by-bit CRC-32 at every length and start.
final class CRC32Tests: XCTestCase {
    private func bitwise(_ bytes: ArraySlice<UInt8>, _ crc: UInt32 = 0) -> UInt32 {
        var c = ~crc
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        }
        return ~c
    }

    func testKnownVector() {
        XCTAssertEqual(Array("123456789".utf8).withUnsafeBytes { CRC32.checksum($0) }, 0xCBF4_3926)
    }

    func testEveryLengthAndOffsetAgainstBitwise() {
        var s: UInt64 = 0x1234_5678_9ABC_DEF1
        let data = (0..<70_000).map { _ -> UInt8 in
            s ^= s << 13; s ^= s >> 7; s ^= s << 17
            return UInt8(truncatingIfNeeded: s)
        }
        data.withUnsafeBytes { all in
            for len in 0..<600 {
                for start in [0, 1, 7, 15] {
                    let got = CRC32.update(0x5A5A_0000 | UInt32(len), UnsafeRawBufferPointer(rebasing: all[start..<(start + len)]))
                    XCTAssertEqual(got, bitwise(data[start..<(start + len)], 0x5A5A_0000 | UInt32(len)), "len \(len) start \(start)")
                }
            }
            XCTAssertEqual(CRC32.checksum(UnsafeRawBufferPointer(rebasing: all[3..<65_539])), bitwise(data[3..<65_539]))
        }
    }
}
