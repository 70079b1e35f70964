/// Sample contents and their known digests (EICAR's are the published ones).
enum Samples {
    static let eicar = Array(#"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"#.utf8)
    static let eicarMD5 = "44d88612fea8a8f36de82e1278abb02f"
    static let eicarSHA1 = "3395856ce81f2b7382dee72602f798b642f14140"
    static let eicarSHA256 = "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"
    static let eicarFirstBytes = "58354f2150254041505b345c505a58353428505e / X5O!P%@AP[4\\PZX54(P^"
    static let clean = Array("hello thunderstorm\n".utf8)
    static let marker = Array("prefix THUNDERSTORM-TEST-MARKER suffix".utf8)
}
