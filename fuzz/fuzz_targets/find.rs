#![no_main]
//! The viewer's whole-input jobs: a search (text or severity, forward or back) and a time slice
//! over any lines, with the invariants they promise: the line found lies on the asked side of
//! the start and matches, a backward search reads no further than its start, and a slice keeps
//! at most its cap, in order, each line within its length.
use libfuzzer_sys::fuzz_target;
use wsus_doctor_core::find::{Finder, Slicer, Target, MAX_SLICE_LINES};
use wsus_doctor_core::lines::Level;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let s = String::from_utf8_lossy(rest);
    let lines: Vec<&str> = s.split('\n').collect();
    let from = u64::from(pick % 16);
    let forward = pick & 0x10 != 0;
    let term = lines.first().map(|l| l.chars().take(8).collect::<String>()).unwrap_or_default();
    let target = match pick >> 6 {
        0 => Target::Level(Level::Error),
        1 => Target::Level(Level::Warning),
        _ => Target::Text(term),
    };
    let mut finder = Finder::new(target.clone(), from, forward);
    for (i, l) in lines.iter().enumerate() {
        if finder.done() {
            break;
        }
        finder.line(i as u64 + 1, l);
    }
    let found = finder.finish();
    if let Some(n) = found.line {
        assert!(if forward { n > from } else { n < from }, "{n} from {from}");
        let lowered = match target {
            Target::Text(t) => Target::Text(t.to_ascii_lowercase()),
            t => t,
        };
        assert!(lowered.matches(lines[n as usize - 1]));
    }
    if !forward {
        assert!(found.last <= from.max(1));
    }
    let start = Some(i64::from(pick) * 3600 * 24 * 365);
    let mut slicer = Slicer::new(start, None, 64);
    for (i, l) in lines.iter().enumerate() {
        if slicer.done() {
            break;
        }
        slicer.line(i as u64 + 1, l);
    }
    let slice = slicer.finish();
    assert!(slice.lines.len() <= MAX_SLICE_LINES);
    assert!(slice.lines.windows(2).all(|w| w[0].0 < w[1].0));
    assert!(slice.lines.iter().all(|(_, t)| t.chars().count() <= 64));
});
