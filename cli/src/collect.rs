//! `collect --out pc042.zip`: the machine's evidence packed as one zip, in the layout `diagnose`,
//! the page and `fleet` read: one folder named after the machine, the items under it where
//! Windows keeps them (`Logs/WindowsUpdate/*.etl`, `SoftwareDistribution/ReportingEvents.log`,
//! `registry/reg-query.txt`, `events/*.evtx`, `server/W3SVC<id>/`...) and `manifest.json`
//! saying what was and was not collected, and why.
//!
//! The zip is written beside its final name and renamed at the end, so an interrupted run never
//! leaves a bundle that looks whole. Files are streamed into it, never held in memory.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::live::{Collection, Content, NotCollected};

/// What was written.
pub struct Written {
    pub members: usize,
    pub bytes: u64,
}

/// Members this large or larger need zip64 records.
const ZIP64_FROM: u64 = 0xFFFF_0000;

fn options(modified: SystemTime, bytes: u64) -> SimpleFileOptions {
    let (y, mo, d, h, mi, s) = crate::live::utc_parts(modified);
    let time = u16::try_from(y)
        .ok()
        .and_then(|y| DateTime::from_date_and_time(y, mo, d, h, mi, s).ok())
        .unwrap_or_else(DateTime::default_for_write);
    SimpleFileOptions::default().compression_method(CompressionMethod::Deflated).last_modified_time(time).large_file(bytes >= ZIP64_FROM)
}

/// Write the collection to `out`. Items that fail while being copied move to
/// `not_collected` (and the manifest says so); the error is only for the bundle itself.
pub fn write_bundle(c: &mut Collection, out: &Path, now: SystemTime) -> io::Result<Written> {
    let partial = partial_name(out);
    let result = write_to(c, &partial, now);
    match result {
        Ok(w) => {
            if let Err(e) = std::fs::rename(&partial, out) {
                let _ = std::fs::remove_file(&partial);
                return Err(e);
            }
            Ok(w)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

fn partial_name(out: &Path) -> PathBuf {
    let mut name = out.file_name().map(|n| n.to_os_string()).unwrap_or_else(|| "bundle.zip".into());
    name.push(".partial");
    out.with_file_name(name)
}

fn write_to(c: &mut Collection, path: &Path, now: SystemTime) -> io::Result<Written> {
    let mut zip = ZipWriter::new(BufWriter::new(File::create(path)?));
    let folder = c.folder();
    let mut written = Written { members: 0, bytes: 0 };
    let mut failed = Vec::new();
    for (i, item) in c.items.iter().enumerate() {
        let name = format!("{folder}/{}", item.bundle);
        match &item.content {
            Content::Bytes(b) => {
                zip.start_file(name, options(now, b.len() as u64)).map_err(io::Error::other)?;
                zip.write_all(b)?;
            }
            Content::File(p) => {
                let mut f = match File::open(p) {
                    Ok(f) => f,
                    Err(e) => {
                        failed.push((i, e.to_string()));
                        continue;
                    }
                };
                let modified = f.metadata().and_then(|m| m.modified()).unwrap_or(now);
                zip.start_file(name, options(modified, item.bytes)).map_err(io::Error::other)?;
                if let Err(e) = io::copy(&mut f, &mut zip) {
                    zip.abort_file().map_err(io::Error::other)?;
                    failed.push((i, format!("read failed while packing: {e}")));
                    continue;
                }
            }
        }
        written.members += 1;
        written.bytes += item.bytes;
    }
    // what could not be packed is said in the manifest, not packed half
    for (i, why) in failed.into_iter().rev() {
        let item = c.items.remove(i);
        let denied = why.contains("denied");
        c.not_collected.push(NotCollected { what: item.what, source: item.source, why, denied });
    }
    let manifest = serde_json::to_vec_pretty(&c.manifest(now)).map_err(io::Error::other)?;
    zip.start_file(format!("{folder}/manifest.json"), options(now, manifest.len() as u64)).map_err(io::Error::other)?;
    zip.write_all(&manifest)?;
    written.members += 1;
    let mut inner = zip.finish().map_err(io::Error::other)?;
    inner.flush()?;
    inner.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    Ok(written)
}
