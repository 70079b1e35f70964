/// The EICAR test file and its published digests: detected by the shipped signatures.
public enum EICAR {
    public static let bytes = Array(#"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"#.utf8)
    public static let md5 = "44d88612fea8a8f36de82e1278abb02f"
    public static let sha1 = "3395856ce81f2b7382dee72602f798b642f14140"
    public static let sha256 = "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"
}
