/*
 * The EICAR anti-virus test file (https://www.eicar.org/download-anti-malware-testfile/).
 * The test string is split in two so that this rule file is not itself an EICAR file.
 */
rule EICAR_Test_File : TEST {
    meta:
        description = "EICAR anti-virus test file"
        author = "thor project"
        reference = "https://www.eicar.org/download-anti-malware-testfile/"
        date = "2024-02-29"
        score = 60
    strings:
        $head = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$"
        $tail = "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
    condition:
        // The file starts with the 68-byte string; up to 60 bytes of trailing whitespace are allowed.
        $head at 0 and $tail at 28 and filesize <= 128
}
