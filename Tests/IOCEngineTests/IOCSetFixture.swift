import TestSupport
import XCTest
@testable import IOCEngine

extension XCTestCase {
    /// The IOC set of one file `name` holding `text`, in a folder of its own (the name picks the type).
    func iocSet(_ name: String, _ text: String) throws -> IOCSet {
        let dir = try temporaryFolder()
        try dir.write(name, text)
        return IOCSet(directories: [dir.path])
    }
}
