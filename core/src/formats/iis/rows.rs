//! Runs of IIS rows: usual rows read straight from an input's bytes, line ends and all. One pass,
//! 64 bytes at a time, finds a row's spaces and its line end together, where the
//! line-by-line path searches the line end, checks the text, routes the line and then splits it:
//! four passes over the same 150 bytes. It takes only rows of printable ASCII fields parted by
//! single spaces and ending in CRLF or LF, and stops before any other line, which then comes
//! through the line-by-line path and is read (and its oddity said) there.

use super::{is_iso_date_bytes, IisReader, IisRequest, EDGES, MAX_FIELDS};
use crate::caps::MAX_LINE_BYTES;
use wide::u8x16;

/// Bytes looked at at once: one bit each in a word.
const BLOCK: usize = 64;

impl IisReader {
    /// The usual rows at the start of `bytes`, each given to `each` with its number in the run
    /// (from 0): the bytes (line ends included) and rows taken.
    pub(crate) fn usual_rows<'a>(&self, bytes: &'a [u8], mut each: impl FnMut(u64, &IisRequest<'a>)) -> (usize, u64) {
        if !self.knows_usual_rows() {
            return (0, 0);
        }
        let len = bytes.len();
        let (space, low, high) = (u8x16::splat(b' '), u8x16::splat(0x20), u8x16::splat(0x7E));
        // field i of the row runs from just after `edges[i]` to `edges[i + 1]` (row offsets)
        let mut edges = [0u32; EDGES];
        // the row being read: where it starts, its spaces so far, and whether the byte before
        // the block is one of its spaces
        let (mut start, mut spaces, mut space_before) = (0usize, 0usize, false);
        let mut rows = 0u64;
        let mut base = 0usize;
        // bytes of the block at `base` already taken (the LF of a CRLF split across two blocks)
        let mut taken = 0u64;
        while base < len {
            let mut padded = [b'x'; BLOCK];
            let block: &[u8; BLOCK] = match bytes.get(base..base + BLOCK).and_then(|b| b.try_into().ok()) {
                Some(b) => b,
                None => {
                    // padded with letters, which are neither spaces nor line ends
                    padded[..len - base].copy_from_slice(&bytes[base..]);
                    &padded
                }
            };
            // spaces; and line ends and bytes no usual row has (tabs, control characters, non-ASCII)
            let (mut spaced, mut odd) = (0u64, 0u64);
            for (i, part) in block.chunks_exact(16).enumerate() {
                let v = u8x16::new(part.try_into().unwrap_or([b'x'; 16]));
                spaced |= (v.cmp_eq(space).move_mask() as u64) << (16 * i);
                odd |= (!v.max(low).min(high).cmp_eq(v).move_mask() as u64 & 0xFFFF) << (16 * i);
            }
            spaced &= !taken;
            odd &= !taken;
            taken = 0;
            loop {
                // the row's spaces in this block: those before its next odd byte
                let mine = spaced & (odd & odd.wrapping_neg()).wrapping_sub(1);
                if mine != 0 {
                    let leading = base + mine.trailing_zeros() as usize == start;
                    let doubled = mine & (mine << 1 | space_before as u64) != 0;
                    if leading || doubled || spaces > MAX_FIELDS {
                        return (start, rows);
                    }
                    // (past MAX_FIELDS the rest of the row's spaces are counted, not kept)
                    let mut m = mine;
                    while m != 0 {
                        spaces += 1;
                        if let Some(e) = edges.get_mut(spaces) {
                            *e = (base + m.trailing_zeros() as usize - start) as u32;
                        }
                        m &= m - 1;
                    }
                    spaced &= !mine;
                }
                if odd == 0 {
                    // the row goes on into the next block
                    space_before = mine >> (BLOCK - 1) == 1;
                    break;
                }
                let k = odd.trailing_zeros() as usize;
                odd &= odd - 1;
                let pos = base + k;
                let end = match block[k] {
                    b'\n' => pos + 1,
                    b'\r' if bytes.get(pos + 1) == Some(&b'\n') => {
                        // its LF: in this block, or the first byte of the next
                        if k < BLOCK - 1 {
                            odd &= !(1 << (k + 1));
                        } else {
                            taken = 1;
                        }
                        pos + 2
                    }
                    _ => return (start, rows),
                };
                // an empty row, or a space before the line end, is read line by line
                let space_last = if k > 0 { mine >> (k - 1) & 1 == 1 } else { space_before };
                if pos == start || space_last || pos - start > MAX_LINE_BYTES {
                    return (start, rows);
                }
                // SAFETY: every byte of the row was looked at above and is a space or printable
                // ASCII (anything else is an odd byte, which ends the row or the run), so the row
                // is valid UTF-8.
                let t = unsafe { std::str::from_utf8_unchecked(&bytes[start..pos]) };
                if t.len() < 10 || !is_iso_date_bytes(&t.as_bytes()[..10]) {
                    return (start, rows);
                }
                let Some(r) = self.usual_row(t, &mut edges, spaces) else { return (start, rows) };
                each(rows, &r);
                rows += 1;
                (start, spaces, space_before) = (end, 0, false);
            }
            base += BLOCK;
        }
        (start, rows)
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::Analysis;

    /// A small deterministic generator (xorshift), so a failure names its seed.
    struct Dice(u64);
    impl Dice {
        fn roll(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }
        fn pick<'a>(&mut self, of: &[&'a str]) -> &'a str {
            of[self.roll(of.len() as u64) as usize]
        }
    }

    const PATHS: &[&str] = &[
        "/ClientWebService/client.asmx",
        "/SimpleAuthWebService/SimpleAuth.asmx",
        "/ReportingWebService/ReportingWebService.asmx",
        "/selfupdate/AU/x64/WIN7/EN/wuaucomp.cab",
        "/selfupdate/wuident.cab",
        "/ApiRemoting30/WebService.asmx",
        "/_vti_bin/owssvr.dll",
        "/wutrack.bin",
    ];
    const AGENTS: &[&str] = &[
        "Windows-Update-Agent/10.0.10011.16384+Client-Protocol/2.50",
        "Microsoft+BITS/7.8",
        "Mozilla/4.0+(compatible;+MSIE+6.0;+MS+Web+Services+Client+Protocol+4.0.30319.42000)",
        "-",
        "Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+PowerShell/7.4.1",
    ];

    /// An IIS log as a WSUS server writes one, with what else turns up in real ones: restarts
    /// with another field list, HTTP.sys rows, rows quoted or edited by hand (tabs, doubled or
    /// trailing spaces, non-ASCII and control bytes), other logs pasted in, every line end.
    fn log(dice: &mut Dice, rows: usize) -> Vec<u8> {
        let mut out = Vec::new();
        for _ in 0..rows {
            let clock = format!("2024-03-{:02} {:02}:{:02}:{:02}", 1 + dice.roll(28), dice.roll(24), dice.roll(60), dice.roll(60));
            let content = format!("/Content/{:02X}/{}.cab", dice.roll(256), "F6".repeat(1 + dice.roll(40) as usize));
            let path = if dice.roll(4) == 0 { content.as_str() } else { dice.pick(PATHS) };
            let status = dice.pick(&["200", "200", "200", "404", "500", "503", "401", "206"]);
            let method = dice.pick(&["POST", "POST", "GET", "HEAD"]);
            let (port, agent) = (dice.pick(&["8530", "8531", "80"]), dice.pick(AGENTS));
            let ip = format!("10.20.{}.{}", dice.roll(256), dice.roll(256));
            let row = format!("{clock} 10.0.0.5 {method} {path} - {port} - {ip} {agent} {status} {} 0 {}", dice.roll(4), dice.roll(9000));
            let line = match dice.roll(40) {
                0 => "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken".to_string(),
                1 => "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken".to_string(),
                2 => "#Fields: time date cs-uri-stem sc-status s-port c-ip".to_string(),
                3 => format!("#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: {clock}"),
                4 => String::new(),
                5 => row.replacen(' ', "\t", 1 + dice.roll(3) as usize),
                6 => row.replacen(' ', "  ", 1),
                7 => format!("{row} "),
                8 => format!(" {row}"),
                9 => row.replace("Protocol", "Protocöl"),
                10 => row.replace("10.0.0.5", "10.0.\u{1}0.5"),
                11 => row.replace("10.0.0.5", "10.0\u{0}.0.5"),
                12 => format!("> {row}"),
                13 => format!("{clock} 10.20.1.9 56433 10.0.0.5 8530 HTTP/1.1 POST /ClientWebService/client.asmx 503 1 AppOffline WsusPool"),
                14 => format!("{clock}:123 1234 5678 Agent *FAILED* [80244010] Exceeded max server round trips"),
                15 => row.rsplitn(3, ' ').nth(2).unwrap_or("").to_string(),
                16 => row.replace(' ', "x"),
                _ => row,
            };
            out.extend_from_slice(line.as_bytes());
            out.extend_from_slice(match dice.roll(20) {
                0..=13 => b"\r\n",
                14..=17 => b"\n",
                18 => b"\r",
                _ => b"\n\r\n",
            });
        }
        out
    }

    /// The report and the lines taken in runs, the input fed in pieces of `sizes` bytes in turn.
    fn read(bytes: &[u8], sizes: &[usize], runs: bool) -> (String, u64) {
        let mut a = Analysis::new();
        let id = a.add_input("u_ex240301.log", None);
        a.runs(id, runs);
        let mut rest = bytes;
        for size in sizes.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let (piece, next) = rest.split_at((*size).min(rest.len()));
            a.feed(id, piece);
            rest = next;
        }
        a.finish_input(id);
        let taken = a.runs(id, runs);
        (serde_json::to_string(&a.finish()).unwrap_or_default(), taken)
    }

    /// Whatever the rows and however the bytes arrive, a run reads exactly what the line-by-line
    /// path reads: the same report, evidence, line numbers, sections and notes.
    #[test]
    fn runs_read_what_lines_read() {
        let mut taken_at_all = 0;
        for seed in 1..=40u64 {
            let mut dice = Dice(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let text = log(&mut dice, 300);
            let sizes: Vec<usize> = (0..7).map(|_| 1 + dice.roll(if seed % 2 == 0 { 300 } else { 70_000 }) as usize).collect();
            for sizes in [&sizes[..], &[text.len()]] {
                let (lines, none) = read(&text, sizes, false);
                let (runs, taken) = read(&text, sizes, true);
                assert_eq!(none, 0);
                assert_eq!(runs, lines, "seed {seed}, pieces of {sizes:?}");
                taken_at_all += taken;
            }
        }
        // the generated logs spend long stretches under a header their rows do not fit
        assert!(taken_at_all > 40 * 2 * 300 / 10, "{taken_at_all}");
    }

    /// In a log as IIS writes it every row after the header comes in runs, whatever the pieces.
    #[test]
    fn every_usual_row_comes_in_a_run() {
        let mut dice = Dice(7);
        let mut text = "#Software: Microsoft Internet Information Services 10.0\r\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken\r\n".to_string();
        for i in 0..1000 {
            let agent = dice.pick(AGENTS);
            text += &format!(
                "2024-03-01 10:{:02}:{:02} 10.0.0.5 POST /ClientWebService/client.asmx - 8530 - 10.20.1.{} {agent} 200 0 0 {}\r\n",
                i / 60,
                i % 60,
                i % 250,
                dice.roll(900)
            );
        }
        // a row cut between two pieces comes line by line
        for (sizes, cut) in [(&[text.len()][..], 0), (&[65_536], 3), (&[4096, 77], 100)] {
            let (runs, taken) = read(text.as_bytes(), sizes, true);
            assert_eq!(runs, read(text.as_bytes(), sizes, false).0, "{sizes:?}");
            assert!(taken <= 1000 && taken >= 1000 - cut, "{sizes:?}: {taken}");
        }
    }

    /// A row whose CRLF falls across two blocks, or across two pieces fed apart.
    #[test]
    fn a_line_end_across_blocks_and_pieces() {
        let head = "#Fields: date time cs-method cs-uri-stem sc-status\r\n";
        for pad in 30..100 {
            let row = format!("2024-03-01 00:00:00 POST /{} 500\r\n", "x".repeat(pad));
            let text = format!("{head}{row}{row}{row}");
            for cut in [head.len() + row.len() - 1, head.len() + row.len() - 2, text.len() - 1] {
                let sizes = [cut, text.len()];
                let (lines, _) = read(text.as_bytes(), &sizes, false);
                let (runs, taken) = read(text.as_bytes(), &sizes, true);
                assert_eq!(runs, lines, "pad {pad}, cut {cut}");
                assert!(taken >= 1, "pad {pad}, cut {cut}");
            }
        }
    }
}
