import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A raw-socket HTTP/1.1 client, so tests can send exactly the bytes the quirky clients send
/// (chunked bodies, Expect: 100-continue, absolute-form targets, odd multipart).
struct RawHTTP {
    struct Response {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]
        /// Interim 1xx status lines seen before the final response.
        var interim: [Int]

        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
        var text: String { String(decoding: body, as: UTF8.self) }
        func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) }
    }

    let port: Int

    final class Connection {
        let fd: Int32
        var pending: [UInt8] = []

        init(port: Int) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = in_port_t(UInt16(port).bigEndian)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            var timeout = timeval(tv_sec: 30, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard rc == 0 else {
                close(fd)
                throw NSError(domain: "RawHTTP", code: Int(errno), userInfo: [NSLocalizedDescriptionKey: "connect failed"])
            }
        }

        deinit { close(fd) }

        func send(_ bytes: [UInt8]) throws {
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard n > 0 else { throw NSError(domain: "RawHTTP", code: Int(errno), userInfo: [NSLocalizedDescriptionKey: "send failed"]) }
                offset += n
            }
        }

        func send(_ text: String) throws { try send(Array(text.utf8)) }

        /// Reads one response head (may be a 1xx); returns the status and headers.
        func readHead() throws -> (Int, [(String, String)]) {
            while true {
                if let end = find(Array("\r\n\r\n".utf8)) {
                    let head = String(decoding: pending[0..<end], as: UTF8.self)
                    pending.removeFirst(end + 4)
                    let lines = head.components(separatedBy: "\r\n")
                    let status = Int(lines[0].split(separator: " ").dropFirst().first ?? "") ?? 0
                    let headers = lines.dropFirst().compactMap { line -> (String, String)? in
                        guard let colon = line.firstIndex(of: ":") else { return nil }
                        return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
                    }
                    return (status, headers)
                }
                guard try fill() else { throw NSError(domain: "RawHTTP", code: 0, userInfo: [NSLocalizedDescriptionKey: "closed before a response head"]) }
            }
        }

        /// Reads a complete final response, skipping and recording 1xx heads.
        func readResponse() throws -> Response {
            var interim: [Int] = []
            while true {
                let (status, headers) = try readHead()
                if (100..<200).contains(status) {
                    interim.append(status)
                    continue
                }
                var response = Response(status: status, headers: headers, body: [], interim: interim)
                if let length = response.header("Content-Length").flatMap(Int.init) {
                    while pending.count < length { guard try fill() else { break } }
                    response.body = Array(pending.prefix(length))
                    pending.removeFirst(min(length, pending.count))
                } else if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
                    response.body = try readChunked()
                } else {
                    while try fill() {}
                    response.body = pending
                    pending = []
                }
                return response
            }
        }

        private func readChunked() throws -> [UInt8] {
            var body: [UInt8] = []
            while true {
                while find(Array("\r\n".utf8)) == nil { guard try fill() else { return body } }
                let lineEnd = find(Array("\r\n".utf8))!
                let size = Int(String(decoding: pending[0..<lineEnd], as: UTF8.self), radix: 16) ?? 0
                pending.removeFirst(lineEnd + 2)
                while pending.count < size + 2 { guard try fill() else { return body } }
                body += pending[0..<size]
                pending.removeFirst(size + 2)
                if size == 0 { return body }
            }
        }

        /// True when bytes arrived, false at EOF.
        func fill() throws -> Bool {
            var buffer = [UInt8](repeating: 0, count: 65536)
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 { throw NSError(domain: "RawHTTP", code: Int(errno), userInfo: [NSLocalizedDescriptionKey: "recv failed (timeout?)"]) }
            if n == 0 { return false }
            pending += buffer[0..<n]
            return true
        }

        private func find(_ pattern: [UInt8]) -> Int? {
            guard pending.count >= pattern.count else { return nil }
            for i in 0...(pending.count - pattern.count) where pending[i] == pattern[0] {
                if Array(pending[i..<(i + pattern.count)]) == pattern { return i }
            }
            return nil
        }
    }

    /// Sends `request` on a new connection and reads one response.
    func exchange(_ request: [UInt8]) throws -> Response {
        let connection = try Connection(port: port)
        try connection.send(request)
        return try connection.readResponse()
    }

    func get(_ target: String) throws -> Response {
        try exchange(Array("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n".utf8))
    }

    /// A POST with a Content-Length body and extra header lines, on its own connection.
    func post(_ target: String, contentType: String?, body: [UInt8], extraHeaders: [String] = []) throws -> Response {
        try exchange(postRequest(target, contentType: contentType, body: body, extraHeaders: extraHeaders))
    }

    /// The bytes of such a POST; `close: false` keeps the connection open for another request.
    func postRequest(_ target: String, contentType: String?, body: [UInt8], extraHeaders: [String] = [], close: Bool = true) -> [UInt8] {
        var head = "POST \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\(close ? "Connection: close\r\n" : "")Content-Length: \(body.count)\r\n"
        if let contentType { head += "Content-Type: \(contentType)\r\n" }
        for line in extraHeaders { head += line + "\r\n" }
        return Array((head + "\r\n").utf8) + body
    }

    /// The bytes of an upload of `content` as `fileName` (one part `file`, boundary `b`).
    func uploadRequest(_ target: String, fileName: String, _ content: [UInt8], close: Bool = true) -> [UInt8] {
        postRequest(target, contentType: "multipart/form-data; boundary=b",
                    body: Self.multipart(boundary: "b", parts: [Self.filePart(fileName, content)]), close: close)
    }

    /// A multipart body with the given parts: (header lines of the part, content).
    static func multipart(boundary: String, parts: [(String, [UInt8])]) -> [UInt8] {
        var body: [UInt8] = []
        for (headers, content) in parts {
            body += Array("--\(boundary)\r\n\(headers)\r\n\r\n".utf8) + content + Array("\r\n".utf8)
        }
        return body + Array("--\(boundary)--\r\n".utf8)
    }

    static func filePart(_ fileName: String, _ content: [UInt8], name: String = "file") -> (String, [UInt8]) {
        ("Content-Disposition: form-data; name=\"\(name)\"; filename=\"\(fileName)\"\r\nContent-Type: application/octet-stream", content)
    }
}
