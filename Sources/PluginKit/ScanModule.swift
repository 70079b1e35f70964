import PluginABI

/// What a module says about itself; becomes its `thor_plugin` descriptor.
public struct ModuleDescriptor {
    public var name: String
    public var version: String
    public var description: String
    public var author: String
    public var minHostVersion: String = ""
    public var capabilities: UInt32 = 0
    public var objectKinds: [thor_object_kind]
    public var typeTags: [String] = []

    public init(name: String, version: String, description: String, author: String,
                objectKinds: [thor_object_kind], capabilities: UInt32 = 0, typeTags: [String] = []) {
        self.name = name
        self.version = version
        self.description = description
        self.author = author
        self.objectKinds = objectKinds
        self.capabilities = capabilities
        self.typeTags = typeTags
    }
}

/// What `init` receives, in Swift terms.
public struct ModuleSetup {
    public let options: [String: String]
    public let signatureDirectories: [String]
    public let cacheDirectory: String
    public let host: ScanHost

    public func option(_ key: String) -> String? { options[key] }

    /// A flag option is set when present with any value but "0", "false" or "".
    public func flag(_ key: String) -> Bool {
        guard let value = options[key] else { return false }
        return !["", "0", "false", "no"].contains(value.lowercased())
    }
}

/// A scan module written in Swift. The host calls `scan` for each object the module accepts.
public protocol ScanModule: AnyObject {
    static var descriptor: ModuleDescriptor { get }
    init(_ setup: ModuleSetup) throws
    func scan(_ object: ScanObject, _ host: ScanHost) throws
    func finish(_ host: ScanHost)
}

extension ScanModule {
    public func finish(_ host: ScanHost) {}
}
