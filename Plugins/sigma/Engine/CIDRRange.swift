#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 network for the `cidr` modifier.
struct CIDRRange: Equatable {
    let network: [UInt8]
    let prefixLength: Int

    /// Parses `a.b.c.d/n` or `x:y::/n` (a missing `/n` means a single address).
    init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let addr = CIDRRange.parseAddress(String(parts[0])) else { return nil }
        let maxBits = addr.count * 8
        var bits = maxBits
        if parts.count == 2 {
            guard let n = Int(parts[1]), n >= 0, n <= maxBits else { return nil }
            bits = n
        }
        network = addr
        prefixLength = bits
    }

    /// True when `text` is an address of the same family inside the network.
    func contains(_ text: String) -> Bool {
        guard let addr = CIDRRange.parseAddress(text), addr.count == network.count else { return false }
        var remaining = prefixLength
        for i in 0..<addr.count where remaining > 0 {
            let take = min(8, remaining)
            let mask: UInt8 = take == 8 ? 0xFF : ~(0xFF >> UInt8(take))
            if addr[i] & mask != network[i] & mask { return false }
            remaining -= take
        }
        return true
    }

    /// 4 bytes for IPv4, 16 for IPv6; nil when the text is neither.
    static func parseAddress(_ text: String) -> [UInt8]? {
        let trimmed = String(text.trimmingSpaces)
        guard !trimmed.isEmpty, trimmed.utf8.count < 64 else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, trimmed, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, trimmed, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}
