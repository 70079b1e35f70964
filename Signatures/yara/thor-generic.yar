/*
 * A small generic starter set written for this project. For real coverage point the scanner at
 * signature-base (see Signatures/README.md).
 */

rule SUSP_PowerShell_Encoded_Download_Cradle {
    meta:
        description = "PowerShell that decodes or downloads and runs code (encoded command, download cradle)"
        author = "thor project"
        date = "2024-02-29"
        score = 65
    strings:
        $ps = "powershell" ascii wide nocase
        $c1 = "-enc " ascii wide nocase
        $c2 = "FromBase64String" ascii wide nocase
        $c3 = "DownloadString(" ascii wide nocase
        $c4 = "Invoke-Expression" ascii wide nocase
        $c5 = "IEX(" ascii wide nocase
        $c6 = "-w hidden" ascii wide nocase
    condition:
        filesize < 2MB and $ps and 2 of ($c*)
}

rule SUSP_Linux_Reverse_Shell_DevTcp {
    meta:
        description = "Shell redirected to a /dev/tcp socket (classic bash reverse shell)"
        author = "thor project"
        date = "2024-02-29"
        score = 70
    strings:
        $r1 = /\b(ba|z|k)?sh -i >& ?\/dev\/tcp\/[0-9a-zA-Z.\-]{1,64}\/[0-9]{1,5}/
        $r2 = /\/dev\/tcp\/[0-9a-zA-Z.\-]{1,64}\/[0-9]{1,5} 0>&1/
    condition:
        filesize < 1MB and any of them
}

rule HKTL_Mimikatz_Command_Strings {
    meta:
        description = "Mimikatz module commands (credential dumping tool)"
        author = "thor project"
        date = "2024-02-29"
        score = 80
    strings:
        $s1 = "sekurlsa::logonpasswords" ascii wide nocase
        $s2 = "privilege::debug" ascii wide nocase
        $s3 = "lsadump::sam" ascii wide nocase
        $s4 = "kerberos::golden" ascii wide nocase
    condition:
        2 of them
}

rule SUSP_PHP_Webshell_Eval_Request {
    meta:
        description = "PHP that evaluates request parameters (simple web shell)"
        author = "thor project"
        date = "2024-02-29"
        score = 75
    strings:
        $php = "<?php" nocase
        $e = /(eval|assert|system|passthru|shell_exec)\s*\(\s*(base64_decode\s*\(\s*)?\$_(POST|GET|REQUEST|COOKIE)\[/ nocase
    condition:
        filesize < 512KB and $php and $e
}

rule SUSP_Executable_Double_Extension {
    meta:
        description = "Windows executable named like a document (double extension)"
        author = "thor project"
        date = "2024-02-29"
        score = 70
    condition:
        uint16(0) == 0x5A4D
        and filename matches /\.(pdf|docx?|xlsx?|jpe?g|png|txt|zip)\.(exe|scr|com|pif|bat|cmd)$/i
}
