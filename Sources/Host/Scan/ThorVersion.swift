/// The version of this host, reported in logs, to modules (`min_host_version`) and by Thunderstorm.
public enum ThorVersion {
    public static let current = "1.0.0"
}
