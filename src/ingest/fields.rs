//! Splitting a chunk of a CSV body into records and their fields, exactly
//! as the csv crate reads them with its defaults (`,` between fields, `"`
//! quotes with `""` for a quote inside them, `\n`, `\r\n` or a bare `\r`
//! ending a record, blank lines skipped), but without copying the fields.
//!
//! A record with no quote in it, nearly every record of an export, is split
//! where it lies in the body: one pass finds its commas and its end, 16
//! bytes at a time with SSE2 (a part of every x86_64 processor). A
//! record with a quote anywhere in it is decoded by `csv_core`, the csv
//! crate's own parser, into a buffer. The two are proved equal to the csv
//! crate on arbitrary bytes by the property test below.

use csv_core::{ReadRecordResult, Reader as CoreReader};

/// The fields of one record.
pub struct Fields<'a> {
    /// The record's bytes: the line as written, or the decoded fields
    /// written one after another.
    bytes: &'a [u8],
    /// Where each field ends in `bytes`.
    ends: &'a [usize],
    /// Bytes between one field's end and the next one's start: 1 (a comma)
    /// in a line as written, 0 in a decoded record.
    gap: usize,
}

impl<'a> Fields<'a> {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn get(&self, i: usize) -> Option<&'a [u8]> {
        let end = *self.ends.get(i)?;
        let start = match i {
            0 => 0,
            _ => self.ends[i - 1] + self.gap,
        };
        Some(&self.bytes[start..end])
    }

    /// Every byte of every field (and, in a line as written, the commas).
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// A blank line: one field of nothing but whitespace.
    pub fn is_blank(&self) -> bool {
        self.len() == 1 && self.bytes.iter().all(u8::is_ascii_whitespace)
    }
}

/// Pushes onto `commas` the offset of each comma in `bytes` before the first
/// `\n`, `\r` or `"`, and returns the offset of that one (or the length).
fn split_line(bytes: &[u8], commas: &mut Vec<usize>) -> usize {
    let mut i = 0;
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::*;
        let push = |commas: &mut Vec<usize>, mut mask: u32, at: usize| {
            while mask != 0 {
                commas.push(at + mask.trailing_zeros() as usize);
                mask &= mask - 1;
            }
        };
        // SAFETY: SSE2 is part of every x86_64 processor, and each load
        // reads the 16 bytes at `i` only when `i + 16 <= bytes.len()`.
        unsafe {
            let [comma, lf, cr, quote] = [b',', b'\n', b'\r', b'"'].map(|c| _mm_set1_epi8(c as i8));
            while i + 16 <= bytes.len() {
                let v = _mm_loadu_si128(bytes.as_ptr().add(i).cast());
                let ends = _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr));
                let stops = _mm_movemask_epi8(_mm_or_si128(ends, _mm_cmpeq_epi8(v, quote))) as u32;
                let commas_here = _mm_movemask_epi8(_mm_cmpeq_epi8(v, comma)) as u32;
                if stops != 0 {
                    let stop = stops.trailing_zeros();
                    push(commas, commas_here & ((1 << stop) - 1), i);
                    return i + stop as usize;
                }
                push(commas, commas_here, i);
                i += 16;
            }
        }
    }
    for (j, &b) in bytes[i..].iter().enumerate() {
        match b {
            b',' => commas.push(i + j),
            b'\n' | b'\r' | b'"' => return i + j,
            _ => {}
        }
    }
    bytes.len()
}

/// Reads the records of `body[pos..]`, which begins on a record boundary.
pub struct RecordReader<'a> {
    body: &'a [u8],
    pos: usize,
    core: CoreReader,
    decoded: Vec<u8>,
    ends: Vec<usize>,
}

impl<'a> RecordReader<'a> {
    pub fn new(body: &'a [u8], pos: usize) -> Self {
        RecordReader {
            body,
            pos,
            core: CoreReader::new(),
            decoded: Vec::new(),
            ends: Vec::with_capacity(64),
        }
    }

    /// The next record and the offset in the body where it begins (after
    /// any blank lines before it), or `None` at the end of the body.
    pub fn next_record(&mut self) -> Option<(usize, Fields<'_>)> {
        let body = self.body;
        while self.pos < body.len() && matches!(body[self.pos], b'\r' | b'\n') {
            self.pos += 1;
        }
        let start = self.pos;
        let rest = body.get(start..).filter(|r| !r.is_empty())?;
        self.ends.clear();
        let stop = split_line(rest, &mut self.ends);
        if rest.get(stop) == Some(&b'"') {
            return self.decode(start);
        }
        let line = &rest[..stop];
        self.ends.push(line.len());
        // Past the line end; a `\n` after a `\r` is skipped by the next call.
        self.pos = (start + stop + 1).min(body.len());
        Some((
            start,
            Fields {
                bytes: line,
                ends: &self.ends,
                gap: 1,
            },
        ))
    }

    /// Decodes the record at `start`, which has a quote in it.
    fn decode(&mut self, start: usize) -> Option<(usize, Fields<'_>)> {
        self.core.reset();
        let body = self.body;
        let mut input = &body[start..];
        if self.decoded.len() < 1024 {
            self.decoded.resize(1024, 0);
        }
        self.ends.clear();
        self.ends.resize(64, 0);
        let (mut out, mut nends) = (0, 0);
        loop {
            let (result, read, wrote, ended) =
                self.core
                    .read_record(input, &mut self.decoded[out..], &mut self.ends[nends..]);
            input = &input[read..];
            out += wrote;
            nends += ended;
            match result {
                // All of the body is given at once: the next call, with no
                // input, tells the parser the body has ended.
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => {
                    let n = self.decoded.len();
                    self.decoded.resize(2 * n, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let n = self.ends.len();
                    self.ends.resize(2 * n, 0);
                }
                ReadRecordResult::Record => break,
                ReadRecordResult::End => {
                    self.pos = body.len();
                    return None;
                }
            }
        }
        self.pos = body.len() - input.len();
        Some((
            start,
            Fields {
                bytes: &self.decoded[..out],
                ends: &self.ends[..nends],
                gap: 0,
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ours(body: &[u8]) -> Vec<Vec<Vec<u8>>> {
        let mut reader = RecordReader::new(body, 0);
        let mut records = Vec::new();
        while let Some((start, fields)) = reader.next_record() {
            assert!(!matches!(body[start], b'\r' | b'\n'));
            records.push(
                (0..fields.len())
                    .map(|i| fields.get(i).unwrap().to_vec())
                    .collect(),
            );
        }
        records
    }

    fn csv_crate(body: &[u8]) -> Vec<Vec<Vec<u8>>> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(body);
        let mut record = csv::ByteRecord::new();
        let mut records = Vec::new();
        while reader.read_byte_record(&mut record).unwrap() {
            records.push(record.iter().map(<[u8]>::to_vec).collect());
        }
        records
    }

    #[test]
    fn reads_as_the_csv_crate_does() {
        for body in [
            &b""[..],
            b"\r\n\n\r",
            b"a,b\r\nc,,d\n\ne",
            b"a,\"b,\"\"c\"\"\r\nd\",e\r",
            b"x\"y,z\n\"q\"r,s",
            b"\"unterminated,a\nb",
            b",\n,,\r\n",
            b"a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v,w,x,y,z,1,2,3,4,5,6,7,8,9,0,a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v,w,x,y,z,\"\"",
        ] {
            assert_eq!(ours(body), csv_crate(body), "{:?}", String::from_utf8_lossy(body));
        }
        // A decoded record longer than the first buffers.
        let long = format!("\"{}\",{}\n", "x".repeat(5000), ",".repeat(200));
        assert_eq!(ours(long.as_bytes()), csv_crate(long.as_bytes()));
    }

    #[test]
    fn blank_lines_are_one_field_of_whitespace() {
        let mut reader = RecordReader::new(b" \t\na,b\n", 0);
        assert!(reader.next_record().unwrap().1.is_blank());
        assert!(!reader.next_record().unwrap().1.is_blank());
        assert!(reader.next_record().is_none());
    }

    /// Bytes from an alphabet of the characters that matter, with the line
    /// ends and quotes `rare` in a hundred: rare ones give long quote-free
    /// lines, which take the 16-byte path.
    fn bodies(rare: u32) -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(
            prop_oneof![
                60 => Just(b'a'),
                20 => Just(b','),
                10 => Just(b' '),
                10 => any::<u8>(),
                rare => Just(b'"'),
                rare => Just(b'\r'),
                rare => Just(b'\n'),
            ],
            0..400,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn arbitrary_bytes_read_as_the_csv_crate_does(body in bodies(30)) {
            prop_assert_eq!(ours(&body), csv_crate(&body));
        }

        #[test]
        fn long_lines_read_as_the_csv_crate_does(body in bodies(2)) {
            prop_assert_eq!(ours(&body), csv_crate(&body));
        }
    }
}
