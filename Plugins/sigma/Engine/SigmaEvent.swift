/// Anything a Sigma rule can be evaluated on: an ordered list of named fields.
///
/// Field names are those Sigma rules use for Windows events: `EventID`, `Channel`, `Provider_Name`,
/// `Computer`, and EventData/UserData names as they are (`CommandLine`, `Image`). A `nil` value is a field
/// that is present but null (an empty `<Data Name="X"/>`); Sigma's `X: null` matches it, `X: ''` does not.
public protocol SigmaEvent {
    /// Calls `body` once per field, in event order.
    func forEachField(_ body: (_ name: String, _ value: String?) -> Void)
}

/// The plain implementation: ordered (name, value) pairs.
public struct SigmaFieldList: SigmaEvent {
    public var fields: [(name: String, value: String?)]

    public init(_ fields: [(name: String, value: String?)]) {
        self.fields = fields
    }

    public func forEachField(_ body: (String, String?) -> Void) {
        for field in fields { body(field.name, field.value) }
    }
}
