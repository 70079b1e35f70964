/// One `-s/--syslog server[:port[:type[:proto]]]` destination, THOR's syntax and defaults
/// (`:514:DEFAULT:UDP`). An IPv6 address goes in brackets: `[::1]:514`.
public struct SyslogTarget: Sendable, Equatable, CustomStringConvertible {
    /// What one message looks like on the wire.
    public enum Format: String, Sendable, CaseIterable {
        /// `<PRI>` and the text log's line.
        case standard = "DEFAULT"
        /// The JSON log's object, nothing around it.
        case json = "JSON"
        /// `<PRI>`, the syslog header and the JSON object on one line.
        case syslogJSON = "SYSLOGJSON"
        /// `<PRI>`, the syslog header and the line's fields as `KEY='value'`.
        case syslogKV = "SYSLOGKV"
    }

    public enum Transport: String, Sendable, CaseIterable {
        case udp = "UDP"
        case tcp = "TCP"
        /// TCP with TLS; the server's certificate is checked (see `SyslogTLSSettings`).
        case tcpTLS = "TCPTLS"
    }

    public var host: String
    public var port: UInt16
    public var format: Format
    public var transport: Transport

    public var description: String { "\(host.contains(":") ? "[\(host)]" : host):\(port):\(format.rawValue):\(transport.rawValue)" }

    public init(host: String, port: UInt16 = 514, format: Format = .standard, transport: Transport = .udp) {
        self.host = host
        self.port = port
        self.format = format
        self.transport = transport
    }

    /// Parses the flag's value; the error says which part is wrong and what is accepted.
    public init(parsing text: String) throws {
        var rest = Substring(text)
        let host: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw ConfigError("syslog target \(text): '[' without ']' around the IPv6 address") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            rest = rest[rest.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { throw ConfigError("syslog target \(text): expected ':' after the address") }
                rest = rest.dropFirst()
            }
        } else {
            host = rest.prefix { $0 != ":" }
            rest = rest.dropFirst(host.count + 1)
        }
        guard !host.isEmpty else { throw ConfigError("syslog target \(text): no server; use server[:port[:type[:proto]]]") }
        let parts = rest.isEmpty ? [] : rest.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 3 else { throw ConfigError("syslog target \(text): too many ':' parts; use server[:port[:type[:proto]]]") }
        self.init(host: String(host))
        if parts.count > 0, !parts[0].isEmpty {
            guard let port = UInt16(parts[0]), port > 0 else { throw ConfigError("syslog target \(text): port '\(parts[0])' is not 1-65535") }
            self.port = port
        }
        if parts.count > 1, !parts[1].isEmpty {
            let name = parts[1].uppercased()
            guard let format = Format(rawValue: name) else {
                let planned = name == "CEF" ? " (CEF is not supported yet)" : ""
                throw ConfigError("syslog target \(text): unknown type '\(parts[1])'\(planned); use \(Format.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.format = format
        }
        if parts.count > 2, !parts[2].isEmpty {
            let name = parts[2].uppercased()
            guard let transport = Transport(rawValue: name) else {
                throw ConfigError("syslog target \(text): unknown protocol '\(parts[2])'; use UDP, TCP or TCPTLS")
            }
            self.transport = transport
        }
    }
}
