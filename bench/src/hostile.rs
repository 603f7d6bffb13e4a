//! Adversarial evidence (issue 11): shapes anyone who can write to a client's logs can make,
//! each aimed at one aggregate or one parser path. `scripts/bench.sh` runs each at 100 MB and
//! prints MB/s and peak memory next to the normal logs; the tests run the same shapes small.

use std::io::{self, Write};

use clap::ValueEnum;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Hostile {
    /// WindowsUpdate.log with a distinct 0x8xxxxxxx code on every line
    DistinctCodes,
    /// ~1 MB lines holding tens of thousands of distinct codes each
    CodeLines,
    /// IIS rows with ever-new (path, status, port, client) combinations
    IisCombos,
    /// A .reg with a distinct value name per line under the policy key
    RegValues,
    /// One `hex:` value continued over every line
    RegHex,
    /// `Get-ItemProperty` output whose PSPath wraps for ever
    Pspath,
    /// A paste that switches between log and IIS lines on every line
    KindSwitch,
    /// ~1 MB lines full of date-like strings
    DateLines,
    /// A .reg with a new key every three lines
    RegKeys,
    /// ReportingEvents rows with ~1 MB update titles
    Titles,
}

/// Write `bytes` of the chosen shape; returns what was written.
pub fn generate(out: &mut impl Write, kind: Hostile, bytes: u64) -> io::Result<u64> {
    let mut n: u64 = 0;
    let mut i: u64 = 0;
    let put = |out: &mut dyn Write, s: &str, n: &mut u64| -> io::Result<()> {
        out.write_all(s.as_bytes())?;
        *n += s.len() as u64;
        Ok(())
    };
    match kind {
        Hostile::RegValues | Hostile::RegHex => {
            put(out, "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate]\r\n", &mut n)?;
            if matches!(kind, Hostile::RegHex) {
                put(out, "\"Big\"=hex:00,\\\r\n", &mut n)?;
            }
        }
        Hostile::Pspath => put(out, "PSPath       : Microsoft.PowerShell.Core\\Registry::HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\r\n", &mut n)?,
        Hostile::IisCombos => put(out, "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken\r\n", &mut n)?,
        Hostile::RegKeys => put(out, "Windows Registry Editor Version 5.00\r\n\r\n", &mut n)?,
        _ => {}
    }
    const PATHS: [&str; 8] = [
        "/ClientWebService/client.asmx",
        "/SimpleAuthWebService/SimpleAuth.asmx",
        "/selfupdate/wuident.cab",
        "/Content/ab/cd.cab",
        "/ReportingWebService/ReportingWebService.asmx",
        "/ApiRemoting30/WebService.asmx",
        "/iuident.cab",
        "/DssAuthWebService/DssAuthWebService.asmx",
    ];
    let mut line = String::with_capacity(1 << 20);
    while n < bytes {
        line.clear();
        use std::fmt::Write as _;
        let _ = match kind {
            Hostile::DistinctCodes => {
                write!(line, "2009-12-14\t10:19:48:296\t1032\td18\tAgent\tWARNING: failed with error 0x8{:07x}\r\n", i % 0x0FFF_FFFF)
            }
            Hostile::CodeLines => {
                line.push_str("2009-12-14\t10:19:48:296\t1032\td18\tAgent\tWARNING:");
                for k in 0..90_000u64 {
                    let _ = write!(line, " 0x8{:07x}", (i * 90_000 + k) % 0x0FFF_FFFF);
                }
                line.push_str("\r\n");
                Ok(())
            }
            Hostile::IisCombos => write!(
                line,
                "2026-10-01 10:{:02}:{:02} 10.0.0.5 POST {} - {} - 10.{}.{}.{} WUA {} 0 0 15\r\n",
                (i / 60) % 60,
                i % 60,
                PATHS[(i % 8) as usize],
                1 + i % 65_000,
                (i >> 16) % 256,
                (i >> 8) % 256,
                i % 256,
                400 + i % 200
            ),
            Hostile::RegValues => write!(line, "\"Value{i}\"=\"x{i}\"\r\n"),
            Hostile::RegHex => {
                line.push_str("  00,11,22,33,44,55,66,77,88,99,aa,bb,cc,dd,ee,ff,00,11,22,33,44,55,\\\r\n");
                Ok(())
            }
            Hostile::Pspath => {
                line.push_str("               abcdefghijklmnopqrstuvwxyz0123456789\r\n");
                Ok(())
            }
            Hostile::KindSwitch => {
                if i.is_multiple_of(2) {
                    line.push_str("2009-12-14\t10:19:48:296\t1032\td18\tAgent\tWARNING: failed with error 0x80244019\r\n");
                } else {
                    line.push_str("2009-12-14 15:11:41 W3SVC1 10.0.0.5 GET /selfupdate/wuident.cab 0912141511 80 - 10.0.1.34 Windows-Update-Agent 404 0 2\r\n");
                }
                Ok(())
            }
            Hostile::DateLines => {
                line.push_str("2009-12-14\t10:19:48:296\t1032\td18\tAgent\t");
                for _ in 0..50_000 {
                    line.push_str("2009-12-14 10:19:48 ");
                }
                line.push_str("\r\n");
                Ok(())
            }
            Hostile::RegKeys => write!(line, "[HKEY_LOCAL_MACHINE\\SOFTWARE\\K{i}]\r\n\"V\"=dword:00000001\r\n\r\n"),
            Hostile::Titles => {
                line.push_str("{A}\t2009-12-14 10:19:48:296-0800\t1\t182\t101\t{B}\t200\t80070643\tAutomatic Updates\tFailure\tContent Install\tInstallation Failure: Windows failed to install the following update with error 0x80070643: ");
                for _ in 0..100_000 {
                    let _ = write!(line, "T{i} ");
                }
                line.push_str("\r\n");
                Ok(())
            }
        };
        put(out, &line, &mut n)?;
        i += 1;
    }
    Ok(n)
}
