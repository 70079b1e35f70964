import CLibCrypto

/// The version of this host, reported in logs, to modules (`min_host_version`) and by Thunderstorm.
public enum ThorVersion {
    public static let current = "1.0.0"

    /// The libcrypto the host hashes with, as it names itself ("OpenSSL 3.0.15 3 Sep 2024").
    public static var openSSL: String { String(cString: OpenSSL_version(OPENSSL_VERSION)) }
}
