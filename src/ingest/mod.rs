//! Ingest: read each file of the export folder once. Headers are matched by
//! name, DateDeleted rows are set aside, every value the rules use is typed
//! with a diagnostic (file, physical line, column) when it cannot be read,
//! ragged rows are set aside, and the first occurrence of each primary key is
//! kept. Every row read is accounted for: read = live + deleted + rejected.

mod chunking;
pub mod export;
mod fields;
mod keys;
pub mod records;
pub mod schema;
pub mod values;

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use csv::ByteRecord;
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::error::AuditError;
pub use export::Export;
use fields::{Fields, RecordReader};
pub use records::*;
use schema::FileSpec;

/// A value that a rule uses and that could not be read (INT-003).
#[derive(Debug, Clone)]
pub struct CellProblem {
    pub line: u64,
    /// The header as written in the file.
    pub column: String,
    /// What the value should have been, e.g. "a date (yyyy-mm-dd)".
    pub expected: &'static str,
}

/// A row with the wrong number of fields (INT-003, whole row).
#[derive(Debug, Clone)]
pub struct RaggedRow {
    pub line: u64,
    pub found: usize,
    pub expected: usize,
}

/// What was read from one file on disk.
#[derive(Debug, Clone, Default)]
pub struct FileStats {
    pub name_on_disk: String,
    pub bytes: u64,
    pub sha256: String,
    pub read: u64,
    pub live: u64,
    pub deleted: u64,
    pub rejected: u64,
    /// Live rows whose key repeats an earlier row (INT-002); part of `live`.
    pub duplicates: u64,
    /// The header names as written (trimmed, BOM removed).
    pub headers: Vec<String>,
}

impl FileStats {
    pub fn has_column(&self, name: &str) -> bool {
        self.headers.iter().any(|h| h.eq_ignore_ascii_case(name))
    }
}

/// One input file, typed.
#[derive(Debug)]
pub struct Table<T> {
    pub spec: &'static FileSpec,
    /// None when the file is absent from the export.
    pub stats: Option<FileStats>,
    /// Live rows, the first occurrence of each key, in file order: all of
    /// them, or for the largest files only those a rule reads (see `Keep`).
    pub rows: Vec<T>,
    /// First occurrences that no rule reads, counted and not kept.
    pub unneeded: u64,
    /// Live rows whose key repeats an earlier row, in file order.
    pub duplicates: Vec<Duplicate<T>>,
    pub cell_problems: Vec<CellProblem>,
    pub ragged: Vec<RaggedRow>,
}

/// A live row whose primary key repeats an earlier row (INT-002).
#[derive(Debug)]
pub struct Duplicate<T> {
    pub row: T,
    /// The physical line of the first row with the key.
    pub first_line: u64,
}

/// Which first occurrences of a file the rules read. Rows with an
/// unreadable value are always kept (INT-003 reports them with their
/// client), and so are duplicates (INT-002). Each chunk passes its own
/// `LastRefs`, which the test may use to skip lookups repeated row to row.
pub type Keep<'k, T> = &'k (dyn Fn(&T, &mut LastRefs) -> bool + Sync);

/// The references (PersonalID, EnrollmentID) of the last row a chunk
/// checked, and the answer: the rows of one enrollment usually come
/// together. And a guess for the check to try first: the rows of a child
/// file usually follow Enrollment.csv's order.
#[derive(Default)]
pub struct LastRefs {
    last: Option<(Id, Id, bool)>,
    /// The Enrollment row after the last one found.
    next_enrollment: usize,
}

impl LastRefs {
    /// `check(personal_id, enrollment_id)`, unless the last row had the
    /// same; the check may read and set `next_enrollment`.
    pub fn check(
        &mut self,
        personal_id: &Id,
        enrollment_id: &Id,
        check: impl FnOnce(&mut usize) -> bool,
    ) -> bool {
        match &self.last {
            Some((p, e, answer)) if p == personal_id && e == enrollment_id => *answer,
            _ => {
                let answer = check(&mut self.next_enrollment);
                self.last = Some((personal_id.clone(), enrollment_id.clone(), answer));
                answer
            }
        }
    }
}

/// Keeps every row.
pub fn keep_all<T>(_: &T, _: &mut LastRefs) -> bool {
    true
}

impl<T> Table<T> {
    fn absent(spec: &'static FileSpec) -> Self {
        Table {
            spec,
            stats: None,
            rows: Vec::new(),
            unneeded: 0,
            duplicates: Vec::new(),
            cell_problems: Vec::new(),
            ragged: Vec::new(),
        }
    }

    pub fn present(&self) -> bool {
        self.stats.is_some()
    }

    /// The file name as on disk (the spec's name when absent).
    pub fn file_name(&self) -> &str {
        self.stats
            .as_ref()
            .map(|s| s.name_on_disk.as_str())
            .unwrap_or(self.spec.name)
    }
}

/// An identifier: short ones (nearly all) are stored inline, without an
/// allocation per value.
pub type Id = compact_str::CompactString;

/// A record type of one file: how to read it from a row and its primary key.
pub trait Record: Sized + Send {
    const SPEC: &'static FileSpec;
    fn read(cells: &mut Cells<'_>) -> Self;
    /// The primary key, compared as text (INT-002).
    fn key(&self) -> Cow<'_, str>;
}

/// A 96-bit hash of a primary key, by which the loader remembers the keys
/// it has seen (see `keys`): two distinct keys of one file share it with a
/// chance of about n^2 / 2^97, below 10^-11 for a billion rows, 4 * 10^-15
/// for the 25 million of a million-client export.
fn key_hash(key: &str) -> crate::ids::IdHash {
    crate::ids::IdHash::of(key)
}

/// Where each spec column is in the file, and how its values are mapped.
struct ColumnMap {
    /// spec column index -> field index in the file.
    index: Vec<Option<usize>>,
    /// spec column index -> header as written.
    header: Vec<String>,
    /// spec column index -> lower-cased file value -> spec value.
    synonyms: Vec<HashMap<String, String>>,
    width: usize,
    date_deleted: Option<usize>,
}

/// The cells of one row, read by a record type. Problems are collected.
pub struct Cells<'a> {
    record: &'a Fields<'a>,
    map: &'a ColumnMap,
    line: u64,
    problems: &'a mut Vec<CellProblem>,
    /// Every byte of the record is ASCII, so every cell is UTF-8: checked
    /// once for the record rather than cell by cell.
    ascii: bool,
}

fn trim(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &b[start..end]
}

impl<'a> Cells<'a> {
    fn new(
        record: &'a Fields<'a>,
        map: &'a ColumnMap,
        line: u64,
        problems: &'a mut Vec<CellProblem>,
    ) -> Self {
        Cells {
            record,
            map,
            line,
            problems,
            ascii: record.bytes().is_ascii(),
        }
    }

    pub fn line(&self) -> u64 {
        self.line
    }

    fn raw(&self, col: usize) -> &'a [u8] {
        match self.map.index[col] {
            Some(i) => trim(self.record.get(i).unwrap_or(b"")),
            None => b"",
        }
    }

    fn problem(&mut self, col: usize, expected: &'static str) {
        self.problems.push(CellProblem {
            line: self.line,
            column: self.map.header[col].clone(),
            expected,
        });
    }

    /// A value the rules use, as text: invalid UTF-8 is INT-003 and empty.
    /// Value synonyms of the configuration apply here.
    fn used(&mut self, col: usize, expected: &'static str) -> Option<Cow<'a, str>> {
        let raw = self.raw(col);
        if raw.is_empty() {
            return None;
        }
        let text = if self.ascii {
            // SAFETY: ASCII bytes are UTF-8.
            Ok(unsafe { std::str::from_utf8_unchecked(raw) })
        } else {
            std::str::from_utf8(raw)
        };
        match text {
            Ok(s) => {
                let synonyms = &self.map.synonyms[col];
                if !synonyms.is_empty() {
                    if let Some(v) = synonyms.get(&s.to_lowercase()) {
                        return Some(Cow::Owned(v.clone()));
                    }
                }
                Some(Cow::Borrowed(s))
            }
            Err(_) => {
                self.problem(col, expected);
                None
            }
        }
    }

    /// An identifier (or any value compared exactly).
    pub fn id(&mut self, col: usize) -> Id {
        self.used(col, "text in UTF-8")
            .map(|v| Id::from(v.as_ref()))
            .unwrap_or_default()
    }

    /// Names and free text: never malformed; invalid UTF-8 is replaced.
    pub fn text(&mut self, col: usize) -> String {
        String::from_utf8_lossy(self.raw(col)).into_owned()
    }

    pub fn date(&mut self, col: usize) -> Option<NaiveDate> {
        const EXPECTED: &str = "a date (yyyy-mm-dd or yyyy-mm-dd hh:mm:ss)";
        let v = self.used(col, EXPECTED)?;
        let d = values::parse_date(&v);
        if d.is_none() {
            self.problem(col, EXPECTED);
        }
        d
    }

    pub fn code(&mut self, col: usize) -> Option<i32> {
        const EXPECTED: &str = "a code (an integer in digits)";
        let v = self.used(col, EXPECTED)?;
        let c = values::parse_code(&v);
        if c.is_none() {
            self.problem(col, EXPECTED);
        }
        c
    }

    pub fn yes_no(&mut self, col: usize) -> Option<bool> {
        const EXPECTED: &str = "1, 0, Yes or No";
        let v = self.used(col, EXPECTED)?;
        let b = values::parse_yes_no(&v);
        if b.is_none() {
            self.problem(col, EXPECTED);
        }
        b
    }
}

/// The export folder: its files, found by name case-insensitively.
pub struct ExportFolder {
    path: PathBuf,
    by_lower_name: HashMap<String, String>,
}

impl ExportFolder {
    pub fn open(path: &Path) -> Result<ExportFolder, AuditError> {
        let entries = std::fs::read_dir(path).map_err(|e| {
            AuditError::Input(format!("cannot read export folder {}: {e}", path.display()))
        })?;
        let mut by_lower_name = HashMap::new();
        let mut names: Vec<String> = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| {
                AuditError::Input(format!("cannot read export folder {}: {e}", path.display()))
            })?;
            if let Some(name) = entry.file_name().to_str() {
                names.push(name.to_string());
            }
        }
        // Deterministic when two names differ only in case: the first by byte order.
        names.sort();
        for name in names {
            by_lower_name.entry(name.to_lowercase()).or_insert(name);
        }
        Ok(ExportFolder {
            path: path.to_path_buf(),
            by_lower_name,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn find(&self, name: &str) -> Option<&str> {
        self.by_lower_name
            .get(&name.to_lowercase())
            .map(String::as_str)
    }
}

/// Physical line numbers of record starts. The csv crate's own positions
/// are those after the previous record (before any CRLF tail or blank line
/// is skipped), so lines are counted here from the bytes: `\n`, `\r\n` and
/// a bare `\r` each end one line; newlines inside quotes count.
struct LineCounter<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    /// Counting from byte `pos`, which is on physical line `line`.
    fn at(bytes: &'a [u8], pos: usize, line: u64) -> Self {
        LineCounter { bytes, pos, line }
    }

    fn ends_line(&self, i: usize) -> bool {
        match self.bytes[i] {
            b'\n' => true,
            b'\r' => self.bytes.get(i + 1) != Some(&b'\n'),
            _ => false,
        }
    }

    /// The line of the record whose parse began at byte `from`.
    fn record_line(&mut self, from: usize) -> u64 {
        let from = from.min(self.bytes.len());
        if self.pos < from {
            self.line += chunking::count_line_ends_short(self.bytes, self.pos, from);
            self.pos = from;
        }
        while self.pos < self.bytes.len() && matches!(self.bytes[self.pos], b'\r' | b'\n') {
            if self.ends_line(self.pos) {
                self.line += 1;
            }
            self.pos += 1;
        }
        self.line
    }
}

fn io_error(name: &str, e: impl std::fmt::Display) -> AuditError {
    AuditError::Input(format!("{name}: cannot read the file: {e}"))
}

/// Loads one file of the export into its record type.
pub fn load<T: Record>(
    folder: &ExportFolder,
    config: &Config,
    keep: Keep<'_, T>,
    warnings: &mut Vec<String>,
) -> Result<Table<T>, AuditError> {
    let spec = T::SPEC;
    let extension = if spec.extension {
        config.extension(spec.stem())
    } else {
        None
    };
    let wanted = extension
        .and_then(|e| e.file.as_deref())
        .unwrap_or(spec.name);
    let Some(name) = folder.find(wanted).map(str::to_string) else {
        if spec.required {
            return Err(AuditError::Input(format!(
                "required file {wanted} is missing from the export folder {}",
                folder.path().display()
            )));
        }
        return Ok(Table::absent(spec));
    };
    let path = folder.path().join(&name);
    if path.is_dir() {
        return Err(AuditError::Input(format!(
            "{name}: is a folder, not a CSV file"
        )));
    }
    let file = File::open(&path).map_err(|e| io_error(&name, e))?;
    let len = file.metadata().map_err(|e| io_error(&name, e))?.len();
    // SAFETY: the export is only ever read; a file changed by another
    // process while it is audited gives wrong values, not memory unsafety
    // in our code, which only reads the bytes as a slice.
    let mapped = if len == 0 {
        None
    } else {
        Some(unsafe { memmap2::Mmap::map(&file) }.map_err(|e| io_error(&name, e))?)
    };
    let bytes: &[u8] = mapped.as_deref().unwrap_or(&[]);
    parse_file_keeping::<T>(&name, bytes, mapped.as_ref(), extension, keep, warnings)
}

/// Parses the bytes of one file (the whole of it, BOM included). `mapped`
/// is the memory map they come from, if any, whose pages are released as
/// chunks are parsed. Every row is kept. The fuzz target calls this.
pub fn parse_file<T: Record>(
    name: &str,
    bytes: &[u8],
    mapped: Option<&memmap2::Mmap>,
    extension: Option<&crate::config::ExtensionMap>,
    warnings: &mut Vec<String>,
) -> Result<Table<T>, AuditError> {
    parse_file_keeping(name, bytes, mapped, extension, &keep_all, warnings)
}

/// Chunks parsed in parallel at a time: the file is read in batches, so
/// that only the batch being parsed is resident.
const BATCH: usize = 8;

/// As `parse_file`, keeping only the first occurrences `keep` accepts.
pub fn parse_file_keeping<T: Record>(
    name: &str,
    bytes: &[u8],
    mapped: Option<&memmap2::Mmap>,
    extension: Option<&crate::config::ExtensionMap>,
    keep: Keep<'_, T>,
    warnings: &mut Vec<String>,
) -> Result<Table<T>, AuditError> {
    let spec = T::SPEC;
    let name = name.to_string();
    let len = bytes.len() as u64;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);

    let mut table = Table::absent(spec);
    let mut stats = FileStats {
        name_on_disk: name.clone(),
        ..FileStats::default()
    };
    // The header: the first record that is not a blank line.
    let mut header_end = body.len();
    let mut header = None;
    {
        let mut reader = csv_reader(body);
        let mut record = ByteRecord::new();
        while reader
            .read_byte_record(&mut record)
            .map_err(|e| io_error(&name, e))?
        {
            if !(record.len() == 1 && trim(&record[0]).is_empty()) {
                header_end = reader.position().byte() as usize;
                header = Some(column_map(spec, &name, &record, extension)?);
                break;
            }
        }
    }
    let Some((map, headers)) = header else {
        if spec.required {
            return Err(AuditError::Input(format!(
                "required file {name} is empty: it has no header row"
            )));
        }
        warnings.push(format!(
            "{name} is empty (no header row); read as a file with no rows"
        ));
        stats.bytes = len;
        stats.sha256 = format!("{:x}", Sha256::digest(bytes));
        table.stats = Some(stats);
        return Ok(table);
    };
    stats.headers = headers;

    // The rows, in batches of chunks that start on record boundaries; the
    // chunks of a batch are parsed in parallel while the batch is hashed.
    let prefix = bytes.len() - body.len();
    let mut sha = Sha256::new();
    sha.update(&bytes[..prefix + header_end]);
    let mut first_lines = keys::KeyLines::default();
    let mut chunks = chunking::record_chunks(body, header_end);
    let mut line = 1 + chunking::count_line_ends(body, 0, header_end);
    // Each batch is hashed and parsed while the one before is merged.
    let mut pending: Option<Parsed<T>> = None;
    loop {
        let batch: Vec<(usize, usize)> = chunks.by_ref().take(BATCH).collect();
        if batch.is_empty() && pending.is_none() {
            break;
        }
        let (merged, parsed) = rayon::join(
            || match pending.take() {
                Some(p) => {
                    if first_lines.is_empty() {
                        // Room for the whole file's keys at once, estimated
                        // from the first batch (no rehashing as it grows).
                        let chunks = || p.chunks.iter().flatten();
                        let rows: usize = chunks().map(|c| c.slots.len()).sum();
                        let kept: usize = chunks().map(|c| c.kept.len()).sum();
                        let share =
                            (body.len() - header_end) as f64 / (p.to - header_end).max(1) as f64;
                        let estimate = (rows as f64 * share * 1.02) as usize;
                        first_lines.reserve(estimate);
                        if kept == rows {
                            table.rows.reserve(estimate);
                        }
                    }
                    for chunk in p.chunks {
                        merge_chunk(&mut table, &mut stats, &mut first_lines, chunk?, body, &map)?;
                    }
                    release_pages(mapped, prefix + p.from, p.to - p.from);
                    Ok(())
                }
                None => Ok(()),
            },
            || {
                let (&(from, _), &(_, to)) = (batch.first()?, batch.last()?);
                let ((), chunks) = rayon::join(
                    || sha.update(&body[from..to]),
                    || parse_batch::<T>(body, &batch, &mut line, &map, keep),
                );
                Some(Parsed { chunks, from, to })
            },
        );
        merged.map_err(|e: csv::Error| io_error(&name, e))?;
        pending = parsed;
    }
    table.rows.shrink_to_fit();
    stats.bytes = len;
    stats.sha256 = format!("{:x}", sha.finalize());
    table.stats = Some(stats);
    Ok(table)
}

/// A batch of chunks parsed, `body[from..to]`.
struct Parsed<T> {
    chunks: Vec<csv::Result<Chunk<T>>>,
    from: usize,
    to: usize,
}

/// Parses the chunks of a batch in parallel; `line` is the physical line
/// the batch starts on, and then the one after it.
fn parse_batch<T: Record>(
    body: &[u8],
    batch: &[(usize, usize)],
    line: &mut u64,
    map: &ColumnMap,
    keep: Keep<'_, T>,
) -> Vec<csv::Result<Chunk<T>>> {
    use rayon::prelude::*;
    let line_ends: Vec<u64> = batch
        .par_iter()
        .map(|&(s, e)| chunking::count_line_ends(body, s, e))
        .collect();
    let mut starts = Vec::with_capacity(batch.len());
    for (&(s, e), n) in batch.iter().zip(&line_ends) {
        starts.push((s, e, *line, *n));
        *line += n;
    }
    starts
        .into_par_iter()
        .map(|(s, e, first_line, lines)| {
            parse_chunk::<T>(body, s, e, first_line, lines as usize + 1, map, keep)
        })
        .collect()
}

/// Adds one parsed chunk to the table, in file order: the first row with a
/// key is live (kept if the chunk kept it), a later one is a duplicate,
/// read again from the file when the chunk did not keep it.
fn merge_chunk<T: Record>(
    table: &mut Table<T>,
    stats: &mut FileStats,
    first_lines: &mut keys::KeyLines,
    chunk: Chunk<T>,
    body: &[u8],
    map: &ColumnMap,
) -> csv::Result<()> {
    stats.read += chunk.read;
    stats.deleted += chunk.deleted;
    stats.rejected += chunk.ragged.len() as u64;
    stats.live += chunk.slots.len() as u64;
    table.ragged.extend(chunk.ragged);
    table.cell_problems.extend(chunk.problems);
    let mut kept = chunk.kept.into_iter().peekable();
    // The key map is far larger than the cache: ask for the slot of the
    // key a few rows ahead while this one is looked up.
    use crate::ids::AHEAD;
    for slot in chunk.slots.iter().take(AHEAD) {
        first_lines.prefetch(slot.key);
    }
    for (i, slot) in chunk.slots.iter().enumerate() {
        if let Some(ahead) = chunk.slots.get(i + AHEAD) {
            first_lines.prefetch(ahead.key);
        }
        let row = kept.next_if(|(k, _)| *k == i).map(|(_, row)| row);
        match first_lines.first_line(slot.key, slot.line) {
            None => match row {
                Some(row) => table.rows.push(row),
                None => table.unneeded += 1,
            },
            Some(first_line) => {
                let row = match row {
                    Some(row) => row,
                    None => read_one::<T>(body, slot.offset, chunk.end, slot.line, map)?,
                };
                stats.duplicates += 1;
                table.duplicates.push(Duplicate { row, first_line });
            }
        }
    }
    Ok(())
}

/// Reads again the live row that starts at `body[offset..]`.
fn read_one<T: Record>(
    body: &[u8],
    offset: usize,
    end: usize,
    line: u64,
    map: &ColumnMap,
) -> csv::Result<T> {
    let mut reader = RecordReader::new(&body[..end], offset);
    while let Some((_, record)) = reader.next_record() {
        if !record.is_blank() {
            let mut problems = Vec::new();
            return Ok(T::read(&mut Cells::new(&record, map, line, &mut problems)));
        }
    }
    // The chunk parsed this row a moment ago: the file changed.
    Err(csv::Error::from(std::io::Error::other(
        "the file changed while it was read",
    )))
}

/// Tells the kernel a parsed range of the mapping is no longer needed, so
/// that a large export does not stay resident while later files are read.
/// The pages are the file's own: reading them again just reloads them.
fn release_pages(map: Option<&memmap2::Mmap>, offset: usize, len: usize) {
    #[cfg(unix)]
    if let Some(map) = map {
        // Whole pages inside the range only.
        const PAGE: usize = 4096;
        let start = offset.div_ceil(PAGE) * PAGE;
        let end = (offset + len) / PAGE * PAGE;
        if end > start {
            // SAFETY: the mapping is private and read-only; dropping pages of
            // a file mapping only makes later reads fault them back in.
            let _ = unsafe {
                map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, start, end - start)
            };
        }
    }
}

fn csv_reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(bytes)
}

/// What one chunk of a file holds.
struct Chunk<T> {
    /// Every live row, in order.
    slots: Vec<Slot>,
    /// The rows kept, with their index in `slots`.
    kept: Vec<(usize, T)>,
    problems: Vec<CellProblem>,
    ragged: Vec<RaggedRow>,
    read: u64,
    deleted: u64,
    /// Where the chunk ends in the body.
    end: usize,
}

/// A live row of a chunk: its key, and where to read it again.
struct Slot {
    key: crate::ids::IdHash,
    /// Where its parse began in the body.
    offset: usize,
    line: u64,
}

/// Parses the records of `body[start..end]`, which begins on a record
/// boundary on physical line `first_line`.
fn parse_chunk<T: Record>(
    body: &[u8],
    start: usize,
    end: usize,
    first_line: u64,
    capacity: usize,
    map: &ColumnMap,
    keep: Keep<'_, T>,
) -> csv::Result<Chunk<T>> {
    let mut chunk = Chunk {
        slots: Vec::with_capacity(capacity),
        kept: Vec::new(),
        problems: Vec::new(),
        ragged: Vec::new(),
        read: 0,
        deleted: 0,
        end,
    };
    let mut lines = LineCounter::at(body, start, first_line);
    let mut reader = RecordReader::new(&body[..end], start);
    let mut last_refs = LastRefs::default();
    while let Some((offset, record)) = reader.next_record() {
        let line = lines.record_line(offset);
        if record.is_blank() {
            continue;
        }
        chunk.read += 1;
        if record.len() != map.width {
            chunk.ragged.push(RaggedRow {
                line,
                found: record.len(),
                expected: map.width,
            });
            continue;
        }
        if let Some(i) = map.date_deleted {
            if !trim(record.get(i).unwrap_or_default()).is_empty() {
                chunk.deleted += 1;
                continue;
            }
        }
        let problems_before = chunk.problems.len();
        let row = T::read(&mut Cells::new(&record, map, line, &mut chunk.problems));
        chunk.slots.push(Slot {
            key: key_hash(&row.key()),
            offset,
            line,
        });
        if chunk.problems.len() > problems_before || keep(&row, &mut last_refs) {
            chunk.kept.push((chunk.slots.len() - 1, row));
        }
    }
    Ok(chunk)
}

fn column_map(
    spec: &'static FileSpec,
    file_name: &str,
    header: &ByteRecord,
    extension: Option<&crate::config::ExtensionMap>,
) -> Result<(ColumnMap, Vec<String>), AuditError> {
    let names: Vec<String> = header
        .iter()
        .map(|h| {
            String::from_utf8_lossy(h)
                .trim_start_matches('\u{feff}')
                .trim()
                .to_string()
        })
        .collect();
    let lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    let mut map = ColumnMap {
        index: Vec::with_capacity(spec.columns.len()),
        header: Vec::with_capacity(spec.columns.len()),
        synonyms: Vec::with_capacity(spec.columns.len()),
        width: header.len(),
        date_deleted: None,
    };
    for column in spec.columns {
        let renamed = extension.and_then(|e| e.columns.get(column.name));
        let candidates = renamed
            .map(String::as_str)
            .into_iter()
            .chain(std::iter::once(column.name))
            .chain(column.aliases.iter().copied());
        let mut found = None;
        for candidate in candidates {
            let c = candidate.trim().to_lowercase();
            if let Some(i) = lower.iter().position(|h| *h == c) {
                found = Some(i);
                break;
            }
        }
        if found.is_none() && column.required {
            let also = match renamed {
                Some(r) => format!(" (configured as `{r}`)"),
                None => String::new(),
            };
            return Err(AuditError::Input(format!(
                "{file_name}: required column {}{also} is missing from the header (line 1)",
                column.name
            )));
        }
        if column.name == "DateDeleted" {
            map.date_deleted = found;
        }
        map.header
            .push(found.map_or_else(|| column.name.to_string(), |i| names[i].clone()));
        map.index.push(found);
        let synonyms = extension
            .and_then(|e| e.values.get(column.name))
            .map(|m| {
                m.iter()
                    .map(|(from, to)| (from.trim().to_lowercase(), to.clone()))
                    .collect()
            })
            .unwrap_or_default();
        map.synonyms.push(synonyms);
    }
    Ok((map, names))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Record start lines as the loader sees them.
    fn lines_of(body: &[u8]) -> Vec<u64> {
        let mut counter = LineCounter::at(body, 0, 1);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(body);
        let mut out = Vec::new();
        let mut rec = ByteRecord::new();
        while reader.read_byte_record(&mut rec).unwrap() {
            let line = counter.record_line(rec.position().unwrap().byte() as usize);
            if !(rec.len() == 1 && trim(&rec[0]).is_empty()) {
                out.push(line);
            }
        }
        out
    }

    #[test]
    fn physical_lines_of_record_starts() {
        assert_eq!(lines_of(b"h\na\nb\n"), [1, 2, 3]);
        assert_eq!(lines_of(b"h\r\na\r\nb\r\n"), [1, 2, 3]);
        assert_eq!(lines_of(b"h\ra\rb"), [1, 2, 3]);
        assert_eq!(lines_of(b"h\n\n\na\n  \nb"), [1, 4, 6]);
        assert_eq!(lines_of(b"h,x\n\"a\nb\r\nc\",1\nd,2\n"), [1, 2, 5]);
        assert_eq!(lines_of(b"h\r\n\r\na"), [1, 3]);
    }
}
