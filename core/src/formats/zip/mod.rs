//! Containers: a zip bundle (its members become inputs of their own, opened by
//! [`crate::archive`]) and a cabinet file (recognised, not opened). Only their magic bytes live
//! here, so the format table does not depend on the archive reader (which itself sniffs members
//! with the formats' magic).

/// Whether `head` starts a zip archive (a local file header, or the end record of an empty one).
pub fn is_zip(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06")
}

/// Whether `head` starts a Microsoft cabinet file.
pub fn is_cab(head: &[u8]) -> bool {
    head.starts_with(b"MSCF\0\0\0\0")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_same_magic_as_the_archive_reader() {
        for head in [&b"PK\x03\x04rest"[..], b"PK\x05\x06", b"MSCF\0\0\0\0x", b"PK\x01\x02", b"MSCF", b"", b"ElfFile\0"] {
            assert_eq!(super::is_zip(head), crate::archive::is_zip(head), "{head:?}");
            assert_eq!(super::is_cab(head), crate::archive::is_cab(head), "{head:?}");
        }
    }
}
