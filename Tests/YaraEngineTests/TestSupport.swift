import Foundation

/// The EICAR test string, assembled at run time so no file in the repository carries it.
let eicar: String = {
    let parts = ["X5O!P%@AP[4\\PZX54(P^)7CC)7}$", "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"]
    return parts.joined()
}()

extension Data {
    func withBuffer<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try withUnsafeBytes { try body($0) }
    }
}
