/// The static facts /api/info reports; the host fills them from its build, signatures and license.
public struct ServiceInfo: Sendable, Equatable {
    public var thorVersion: String
    /// Build time, "YYYY-MM-DD HH:MM:SS".
    public var buildTimestamp: String
    public var yaraVersion: String
    public var signatureVersion: String
    public var sigmaVersion: String
    /// "YYYY/MM/DD"
    public var licenseExpirationDate: String
    public var licenseOwner: String
    public var arguments: [String]

    public init(
        thorVersion: String, buildTimestamp: String, yaraVersion: String, signatureVersion: String,
        sigmaVersion: String, licenseExpirationDate: String, licenseOwner: String, arguments: [String]
    ) {
        self.thorVersion = thorVersion
        self.buildTimestamp = buildTimestamp
        self.yaraVersion = yaraVersion
        self.signatureVersion = signatureVersion
        self.sigmaVersion = sigmaVersion
        self.licenseExpirationDate = licenseExpirationDate
        self.licenseOwner = licenseOwner
        self.arguments = arguments
    }

    /// The /api/info object: THOR 10.6 keys plus the 2026 spec's (reference section 1.7).
    func infoObject(threads: Int, pureYara: Bool) -> JSONValue {
        let isoExpiration = licenseExpirationDate.replacingSlashes + "T00:00:00Z"
        return .object([
            ("thor_version", .string(thorVersion)),
            ("thor_timestamp", .string(buildTimestamp)),
            ("yara_version", .string(yaraVersion)),
            ("signature_version", .string(signatureVersion)),
            ("sigma_version", .string(sigmaVersion)),
            ("license_expiration_date", .string(licenseExpirationDate)),
            ("allowed_samples_per_hour", .int(0)),
            ("threads", .int(Int64(threads))),
            ("pure_yara", .bool(pureYara)),
            ("version_info", .object([
                ("thor", .string(thorVersion)), ("build", .string(buildTimestamp)),
                ("signatures", .string(signatureVersion)), ("sigma", .string(sigmaVersion)),
            ])),
            ("arguments", .array(arguments.map { .string($0) })),
            ("license_expiration", .string(isoExpiration)),
            ("license_owner", .string(licenseOwner)),
            ("scan_speed_limitation", .int(0)),
        ])
    }
}

private extension String {
    var replacingSlashes: String { String(map { $0 == "/" ? "-" : $0 }) }
}
