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
    /// An ETL trace whose events' schemas declare 10,000 arrays of 65,535 empty values each
    /// (no payload): a whole line would be ~1 GB of separators per event
    EtlEmptyArrays,
    /// A zip whose central directory names one compressed member thousands of times
    /// (overlapping entries): each would be inflated again
    ZipOverlap,
    /// An event log whose one template repeats its substitution thousands of times, reused by
    /// every record: each record of a few KB renders megabytes
    EvtxTemplateRepeat,
}

/// Write `bytes` of the chosen shape; returns what was written.
pub fn generate(out: &mut impl Write, kind: Hostile, bytes: u64) -> io::Result<u64> {
    match kind {
        Hostile::EtlEmptyArrays => return etl_empty_arrays(out, bytes),
        Hostile::ZipOverlap => return zip_overlap(out, bytes),
        Hostile::EvtxTemplateRepeat => return evtx_template_repeat(out, bytes, REPEATS, VALUE_CHARS),
        _ => {}
    }
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
            Hostile::EtlEmptyArrays | Hostile::ZipOverlap | Hostile::EvtxTemplateRepeat => {
                unreachable!("binary shapes are written above")
            }
        };
        put(out, &line, &mut n)?;
        i += 1;
    }
    Ok(n)
}

/// See [`Hostile::EtlEmptyArrays`]: each event is ~50 KB of schema and no payload.
pub fn etl_empty_arrays(out: &mut impl Write, bytes: u64) -> io::Result<u64> {
    let field: &[u8] = b"a\0\x20\xFF\xFF"; // constant-count array (0x20) of the empty type, 65,535 long
    let fields = field.repeat(10_000);
    let start = crate::etl::filetime(2025, 10, 8, 14, 2, 45, 0);
    let mut w = crate::etl::EtlWriter::new(out, 64 * 1024, start)?;
    let mut k = 0u64;
    while w.written() < bytes {
        let e = crate::etl::WuEvent { filetime: start + k * 10_000_000, pid: 1124, tid: 3256, component: "Bomb", message: "" };
        w.event_with_fields(&e, &fields, &[])?;
        k += 1;
    }
    Ok(w.finish()?.0)
}

/// See [`Hostile::ZipOverlap`]: one deflated WindowsUpdate.log, then one central directory
/// entry per further name, all pointing at its local header, up to `bytes` of directory.
pub fn zip_overlap(out: &mut impl Write, bytes: u64) -> io::Result<u64> {
    let mut log = Vec::new();
    crate::wulog(&mut log, 4 << 20, 7, false)?;
    let mut w = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    w.start_file("WindowsUpdate.log", opts).map_err(io::Error::other)?;
    w.write_all(&log)?;
    let zip = w.finish().map_err(io::Error::other)?.into_inner();
    let entry_len = {
        let eocd = zip.len() - 22;
        u32::from_le_bytes([zip[eocd + 12], zip[eocd + 13], zip[eocd + 14], zip[eocd + 15]]) as usize
    };
    let copies = ((bytes as usize).saturating_sub(zip.len()) / entry_len).clamp(1, 65_534);
    let body = with_overlapping_entries(&zip, copies);
    out.write_all(&body)?;
    Ok(body.len() as u64)
}

/// `zip` (of one member) with `copies` more central directory entries, each a new name for the
/// same member's data: overlapping entries, which a reader would otherwise inflate once each.
pub fn with_overlapping_entries(zip: &[u8], copies: usize) -> Vec<u8> {
    let eocd = zip.len() - 22;
    assert_eq!(&zip[eocd..eocd + 4], b"PK\x05\x06", "one member and no comment");
    let u32_at = |i: usize| u32::from_le_bytes([zip[i], zip[i + 1], zip[i + 2], zip[i + 3]]) as usize;
    let (cd_size, cd_off) = (u32_at(eocd + 12), u32_at(eocd + 16));
    let entry = &zip[cd_off..cd_off + cd_size];
    let name_len = u16::from_le_bytes([entry[28], entry[29]]) as usize;
    let mut out = zip[..cd_off].to_vec();
    out.extend_from_slice(entry);
    for k in 0..copies {
        let mut e = entry.to_vec();
        e[46..46 + name_len].copy_from_slice(format!("{:0width$}", k, width = name_len).as_bytes());
        out.extend_from_slice(&e);
    }
    let mut end = zip[eocd..].to_vec();
    let n = (copies + 1) as u16;
    end[8..10].copy_from_slice(&n.to_le_bytes());
    end[10..12].copy_from_slice(&n.to_le_bytes());
    end[12..16].copy_from_slice(&((cd_size * (copies + 1)) as u32).to_le_bytes());
    out.extend_from_slice(&end);
    out
}

/// Substitutions the [`Hostile::EvtxTemplateRepeat`] template repeats, and the characters of
/// the value each record gives them: a record of ~8 KB would render ~17 MB, just past the
/// `evtx` crate's own bound (16 MB), which renders that much and gives the record up.
pub const REPEATS: u16 = 4096;
pub const VALUE_CHARS: u16 = 4200;

/// CRC-32 (IEEE), as the EVTX header and chunk checksums use it.
fn crc32(data: &[u8]) -> u32 {
    let mut c = !0u32;
    for &b in data {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 { (c >> 1) ^ 0xEDB8_8320 } else { c >> 1 };
        }
    }
    !c
}

/// See [`Hostile::EvtxTemplateRepeat`]: a valid event log (file header, 64 KB chunks with their
/// CRC32s) whose chunks each define one template, `<Event>` holding `repeats` references to
/// substitution 0, in their first record; every record instantiates it by offset with a string
/// of `chars` characters. Chunks are added until the file holds `bytes`.
pub fn evtx_template_repeat(out: &mut impl Write, bytes: u64, repeats: u16, chars: u16) -> io::Result<u64> {
    const CHUNK: usize = 64 << 10;
    let u16le = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_le_bytes());
    let u32le = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_le_bytes());
    let u64le = |v: &mut Vec<u8>, x: u64| v.extend_from_slice(&x.to_le_bytes());
    let chunks = (bytes.saturating_sub(4096) as usize).div_ceil(CHUNK).max(1);
    let value: Vec<u8> = (0..chars).flat_map(|k| u16::from(b'a' + (k % 26) as u8).to_le_bytes()).collect();
    let mut id = 1u64;
    let mut body = Vec::with_capacity(chunks * CHUNK);
    for _ in 0..chunks {
        let first_id = id;
        let mut c = vec![0u8; 512];
        let mut def_offset = 0u32;
        let mut last_record = 0u32;
        loop {
            let start = c.len();
            let mut r = Vec::new();
            r.extend_from_slice(b"\x2a\x2a\x00\x00");
            u32le(&mut r, 0); // size, set below
            u64le(&mut r, id);
            u64le(&mut r, 133_000_000_000_000_000 + id * 10_000_000);
            r.extend_from_slice(&[0x0f, 1, 1, 0, 0x0c, 1]);
            u32le(&mut r, 1); // template id
            if def_offset == 0 {
                // the definition follows here, in this first record
                def_offset = (start + r.len() + 4) as u32;
                u32le(&mut r, def_offset);
                let mut t = vec![0x0f, 1, 1, 0, 0x01];
                u16le(&mut t, 0xffff); // no dependency
                u32le(&mut t, 0); // element data size (not read)
                let name_at = (def_offset as usize + 24 + t.len() + 4) as u32;
                u32le(&mut t, name_at);
                u32le(&mut t, 0); // next string
                let name: Vec<u16> = "Event".encode_utf16().collect();
                let hash = name.iter().fold(0u32, |h, &u| h.wrapping_mul(65599).wrapping_add(u32::from(u)));
                u16le(&mut t, hash as u16);
                u16le(&mut t, name.len() as u16);
                for u in name {
                    u16le(&mut t, u);
                }
                u16le(&mut t, 0);
                t.push(0x02); // close start
                for _ in 0..repeats {
                    t.push(0x0d);
                    u16le(&mut t, 0); // substitution 0
                    t.push(0x01); // a string
                }
                t.extend_from_slice(&[0x04, 0x00]);
                u32le(&mut r, 0); // next template
                r.extend_from_slice(&[0x11; 16]); // GUID
                u32le(&mut r, t.len() as u32);
                r.extend_from_slice(&t);
            } else {
                u32le(&mut r, def_offset);
            }
            u32le(&mut r, 1); // one substitution value
            u16le(&mut r, value.len() as u16);
            r.extend_from_slice(&[0x01, 0x00]);
            r.extend_from_slice(&value);
            r.push(0x00); // end of the record's BinXML
            let size = (r.len() + 4) as u32;
            r[4..8].copy_from_slice(&size.to_le_bytes());
            u32le(&mut r, size);
            if start + r.len() > CHUNK {
                break;
            }
            c.extend_from_slice(&r);
            last_record = start as u32;
            id += 1;
        }
        let free = c.len() as u32;
        let mut h = Vec::with_capacity(128);
        h.extend_from_slice(b"ElfChnk\0");
        u64le(&mut h, first_id);
        u64le(&mut h, id - 1);
        u64le(&mut h, first_id);
        u64le(&mut h, id - 1);
        u32le(&mut h, 128);
        u32le(&mut h, last_record);
        u32le(&mut h, free);
        u32le(&mut h, crc32(&c[512..]));
        c[..h.len()].copy_from_slice(&h);
        c[384..388].copy_from_slice(&def_offset.to_le_bytes()); // the template table's first bucket
        let mut covered = c[..120].to_vec();
        covered.extend_from_slice(&c[128..512]);
        let sum = crc32(&covered);
        c[124..128].copy_from_slice(&sum.to_le_bytes());
        c.resize(CHUNK, 0);
        body.extend_from_slice(&c);
    }
    let mut f = Vec::with_capacity(4096);
    f.extend_from_slice(b"ElfFile\0");
    u64le(&mut f, 0);
    u64le(&mut f, chunks as u64 - 1);
    u64le(&mut f, id);
    u32le(&mut f, 128);
    u16le(&mut f, 1);
    u16le(&mut f, 3);
    u16le(&mut f, 4096);
    u16le(&mut f, chunks as u16);
    f.resize(120, 0);
    u32le(&mut f, 0); // flags
    let sum = crc32(&f[..120]);
    u32le(&mut f, sum);
    f.resize(4096, 0);
    out.write_all(&f)?;
    out.write_all(&body)?;
    Ok((f.len() + body.len()) as u64)
}
