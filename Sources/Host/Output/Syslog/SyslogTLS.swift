import CLibSSL
import Glibc

/// How TCPTLS syslog targets check their servers: the system's roots plus `--ca` files, or no check
/// at all with `--insecure`.
public struct SyslogTLSSettings: Sendable, Equatable {
    public var caFiles: [String] = []
    public var insecure = false

    public init(caFiles: [String] = [], insecure: Bool = false) {
        self.caFiles = caFiles
        self.insecure = insecure
    }
}

/// One TLS client context (OpenSSL) for the syslog targets: TLS 1.2 or newer, peers verified.
final class SyslogTLSContext {
    let context: OpaquePointer

    init(_ settings: SyslogTLSSettings) throws {
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw ConfigError("TLS for syslog: \(Self.lastError())") }
        self.context = context
        _ = thor_ssl_ctx_set_min_version(context, TLS1_2_VERSION)
        guard SSL_CTX_set_default_verify_paths(context) == 1 else { throw ConfigError("TLS for syslog: no system roots: \(Self.lastError())") }
        for file in settings.caFiles where SSL_CTX_load_verify_locations(context, file, nil) != 1 {
            throw ConfigError("--ca \(file): not a PEM certificate file: \(Self.lastError())")
        }
        SSL_CTX_set_verify(context, settings.insecure ? SSL_VERIFY_NONE : SSL_VERIFY_PEER, nil)
    }

    deinit { SSL_CTX_free(context) }

    /// The oldest queued OpenSSL error, as text; the queue is emptied.
    static func lastError() -> String {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return "unknown error" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(cString: buffer)
    }
}

/// A TLS session over a connected socket; the socket stays the caller's.
final class SyslogTLSSession {
    private let ssl: OpaquePointer

    /// Handshakes with `host`, checking that the certificate names it (a DNS name or an IP address).
    init(fd: Int32, host: String, context: SyslogTLSContext) throws {
        guard let ssl = SSL_new(context.context) else { throw ConfigError("TLS for syslog: \(SyslogTLSContext.lastError())") }
        self.ssl = ssl
        SSL_set_fd(ssl, fd)
        let isAddress = host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
        if isAddress {
            X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host)
        } else {
            _ = thor_ssl_set_server_name(ssl, host)
            SSL_set1_host(ssl, host)
        }
        guard Self.withoutSIGPIPE({ SSL_connect(ssl) }) == 1 else {
            let verify = SSL_get_verify_result(ssl)
            let reason = verify != X509_V_OK ? String(cString: X509_verify_cert_error_string(verify)) : SyslogTLSContext.lastError()
            throw ConfigError("TLS handshake with \(host) failed: \(reason)")
        }
    }

    deinit { SSL_free(ssl) }

    func write(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                var written = 0
                let rc = Self.withoutSIGPIPE { SSL_write_ex(ssl, buffer.baseAddress! + offset, buffer.count - offset, &written) }
                guard rc == 1 else {
                    ERR_clear_error()
                    return false
                }
                offset += written
            }
            return true
        }
    }

    /// Says goodbye (close_notify) without waiting for the answer.
    func shutdown() { _ = Self.withoutSIGPIPE { SSL_shutdown(ssl) } }

    /// OpenSSL writes with write(2), so a peer that went away would raise SIGPIPE and end the
    /// scan. The signal is blocked on this thread for the call, and one it raised is consumed.
    private static func withoutSIGPIPE(_ body: () -> Int32) -> Int32 {
        var pipe = sigset_t()
        sigemptyset(&pipe)
        sigaddset(&pipe, SIGPIPE)
        var pending = sigset_t()
        sigpending(&pending)
        let alreadyPending = sigismember(&pending, SIGPIPE) == 1
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipe, &previous)
        let result = body()
        if !alreadyPending {
            sigpending(&pending)
            if sigismember(&pending, SIGPIPE) == 1 {
                var zero = timespec(tv_sec: 0, tv_nsec: 0)
                _ = sigtimedwait(&pipe, nil, &zero)
            }
        }
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        return result
    }
}
