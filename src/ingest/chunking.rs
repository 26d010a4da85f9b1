//! Splitting a CSV body into chunks that start on record boundaries, so
//! that large files are parsed in parallel, and counting line ends so that
//! each chunk knows its first physical line.
//!
//! The boundary scan follows the csv crate's quoting exactly: a quote opens
//! a quoted field only at the start of a field; inside one, `""` is a quote
//! and a lone `"` closes it; a quote anywhere else is a literal character.
//! A line end outside a quoted field ends a record.

use memchr::{memchr, memchr2, memchr2_iter, memchr_iter};

/// Chunks of about this many bytes.
const CHUNK: usize = 4 << 20;

/// The chunks of `body[from..]`, about `CHUNK` bytes each, in order; each
/// starts on a record boundary (after a line end that is not inside
/// quotes). The scan runs ahead only as far as the chunks taken.
pub fn record_chunks(body: &[u8], from: usize) -> RecordChunks<'_> {
    RecordChunks::every(body, from, CHUNK)
}

pub struct RecordChunks<'a> {
    scanner: QuoteScanner<'a>,
    start: usize,
    chunk: usize,
}

impl<'a> RecordChunks<'a> {
    fn every(body: &'a [u8], from: usize, chunk: usize) -> Self {
        RecordChunks {
            scanner: QuoteScanner {
                body,
                pos: from,
                quoted: false,
            },
            start: from,
            chunk,
        }
    }
}

impl Iterator for RecordChunks<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let len = self.scanner.body.len();
        if self.start >= len {
            return None;
        }
        let start = self.start;
        let target = start.saturating_add(self.chunk);
        let end = if target >= len {
            len
        } else {
            match self.scanner.next_record_start(target) {
                Some(b) if b < len => b,
                _ => len,
            }
        };
        self.start = end;
        Some((start, end))
    }
}

struct QuoteScanner<'a> {
    body: &'a [u8],
    /// Everything before `pos` has been scanned; `quoted` is the state there.
    pos: usize,
    quoted: bool,
}

impl QuoteScanner<'_> {
    /// Moves to `to`, tracking whether it is inside a quoted field.
    fn advance(&mut self, to: usize) {
        let b = self.body;
        while self.pos < to {
            if self.quoted {
                match memchr(b'"', &b[self.pos..]) {
                    Some(i) => {
                        let q = self.pos + i;
                        if q >= to {
                            self.pos = to;
                            return;
                        }
                        if b.get(q + 1) == Some(&b'"') {
                            // An escaped quote; it may straddle `to`.
                            self.pos = q + 2;
                        } else {
                            self.quoted = false;
                            self.pos = q + 1;
                        }
                    }
                    None => {
                        self.pos = to;
                        return;
                    }
                }
            } else {
                match memchr(b'"', &b[self.pos..to]) {
                    Some(i) => {
                        let q = self.pos + i;
                        let at_field_start = q == 0 || matches!(b[q - 1], b',' | b'\n' | b'\r');
                        self.quoted = at_field_start;
                        self.pos = q + 1;
                    }
                    None => self.pos = to,
                }
            }
        }
    }

    /// The first record start at or after `at`.
    fn next_record_start(&mut self, at: usize) -> Option<usize> {
        self.advance(at);
        loop {
            if self.quoted {
                // Leave the quoted field first.
                let q = memchr(b'"', &self.body[self.pos..])? + self.pos;
                self.advance(q + 1);
                continue;
            }
            let end = memchr2(b'\n', b'\r', &self.body[self.pos..])? + self.pos;
            // Does a quote open a field before that line end?
            if let Some(q) = memchr(b'"', &self.body[self.pos..end]) {
                self.advance(self.pos + q + 1);
                continue;
            }
            let mut next = end + 1;
            if self.body[end] == b'\r' && self.body.get(next) == Some(&b'\n') {
                next += 1;
            }
            self.pos = next;
            return Some(next);
        }
    }
}

/// Line ends in `body[from..to]`, a span of a record or two, in one pass:
/// the same count as `count_line_ends`, without its two scans, which cost
/// more than the count itself on a span this short.
pub fn count_line_ends_short(body: &[u8], from: usize, to: usize) -> u64 {
    memchr2_iter(b'\n', b'\r', &body[from..to])
        .filter(|&i| body[from + i] == b'\n' || body.get(from + i + 1) != Some(&b'\n'))
        .count() as u64
}

/// Line ends in `body[from..to]`: `\n`, and `\r` not followed by `\n`.
pub fn count_line_ends(body: &[u8], from: usize, to: usize) -> u64 {
    let slice = &body[from..to];
    let lf = memchr_iter(b'\n', slice).count();
    let bare_cr = memchr_iter(b'\r', slice)
        .filter(|&i| body.get(from + i + 1) != Some(&b'\n'))
        .count();
    (lf + bare_cr) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every boundary the scanner finds is a record start by the csv crate.
    #[test]
    fn boundaries_are_record_starts() {
        let mut body = Vec::new();
        body.extend_from_slice(b"h1,h2\n");
        for i in 0..20_000 {
            match i % 5 {
                0 => body.extend_from_slice(b"a,\"multi\nline, \"\"quoted\"\"\"\n"),
                1 => body.extend_from_slice(b"b,lit\"eral\r\n"),
                2 => body.extend_from_slice(b"\"c\"x\",y\r"),
                3 => body.extend_from_slice(b"\n"),
                _ => body.extend_from_slice(b"d,\"\"\n"),
            }
        }
        let chunks: Vec<(usize, usize)> = RecordChunks::every(&body, 6, 1000).collect();
        assert!(chunks.len() > 2, "the body is split");
        assert_eq!(chunks[0].0, 6);
        assert_eq!(chunks.last().unwrap().1, body.len());
        assert!(
            chunks.windows(2).all(|w| w[0].1 == w[1].0),
            "chunks are contiguous"
        );
        let bounds: Vec<usize> = chunks.iter().map(|c| c.0).chain([body.len()]).collect();
        // Record starts by the csv crate, in absolute offsets.
        let mut starts = std::collections::HashSet::new();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(&body[..]);
        let mut rec = csv::ByteRecord::new();
        while reader.read_byte_record(&mut rec).unwrap() {
            let mut p = rec.position().unwrap().byte() as usize;
            while matches!(body.get(p), Some(b'\n' | b'\r')) {
                p += 1;
            }
            starts.insert(p);
        }
        for b in &bounds[1..bounds.len() - 1] {
            let mut p = *b;
            while matches!(body.get(p), Some(b'\n' | b'\r')) {
                p += 1;
            }
            assert!(starts.contains(&p), "boundary {b} is not a record start");
        }
        assert_eq!(count_line_ends(b"a\r\nb\rc\nd", 0, 8), 3);
        // The one-pass count agrees on every span of a body of every kind
        // of line end, a `\r` at a span's end looking past it.
        let mixed = b"a\r\nb\rc\nd\r\r\n\n\r\"x\ny\"\r";
        for from in 0..mixed.len() {
            for to in from..=mixed.len() {
                assert_eq!(
                    count_line_ends_short(mixed, from, to),
                    count_line_ends(mixed, from, to),
                    "{from}..{to}"
                );
            }
        }
    }
}
