//! Writing one generated CSV file, clean or messy, and the seeded random
//! streams the rows draw from.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter};
use std::path::Path;

use chrono::{Datelike, NaiveDate};

/// A random stream for one (file, row): the same seed gives the same
/// values, whatever order rows are written in.
pub struct Stream(fastrand::Rng);

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

impl Stream {
    pub fn new(seed: u64, tag: u64, index: u64) -> Stream {
        Stream(fastrand::Rng::with_seed(splitmix(
            splitmix(seed) ^ splitmix(tag.wrapping_mul(0x1000_0000_01B3)) ^ index,
        )))
    }

    /// A number in 0..n.
    pub fn below(&mut self, n: u64) -> u64 {
        self.0.u64(0..n.max(1))
    }

    pub fn f64(&mut self) -> f64 {
        self.0.f64()
    }
}

/// `yyyy-mm-dd` into `out`.
pub fn fmt_date(out: &mut String, d: NaiveDate) {
    use std::fmt::Write;
    let _ = write!(out, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
}

/// One CSV file being written: a row of cells set by column name, written
/// in the file's column order (shuffled, with an extra column, BOM and CRLF
/// when messy).
pub struct CsvOut {
    writer: csv::Writer<BufWriter<File>>,
    index: HashMap<&'static str, usize>,
    cells: Vec<String>,
    order: Vec<usize>,
    pub messy: bool,
    pub seed: u64,
    tag: u64,
    text_rng: Stream,
}

impl CsvOut {
    pub fn create(
        path: &Path,
        columns: &'static [&'static str],
        messy: bool,
        seed: u64,
        tag: u64,
    ) -> io::Result<CsvOut> {
        let mut file = BufWriter::with_capacity(1 << 20, File::create(path)?);
        if messy {
            use std::io::Write;
            file.write_all(b"\xEF\xBB\xBF")?;
        }
        let mut builder = csv::WriterBuilder::new();
        builder.flexible(true);
        builder.terminator(if messy {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        });
        let mut writer = builder.from_writer(file);
        let width = columns.len() + usize::from(messy);
        let mut order: Vec<usize> = (0..width).collect();
        let mut rng = Stream::new(seed, 500 + tag, 0);
        if messy {
            for i in (1..order.len()).rev() {
                let j = rng.below(i as u64 + 1) as usize;
                order.swap(i, j);
            }
        }
        let mut header: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
        if messy {
            header.push("VendorNote".into());
            // Some vendors pad or lower-case their headers.
            if let Some(h) = header.get_mut(rng.below(columns.len() as u64) as usize) {
                *h = format!(" {} ", h.to_lowercase());
            }
        }
        writer.write_record(order.iter().map(|&i| &header[i]))?;
        Ok(CsvOut {
            writer,
            index: columns.iter().enumerate().map(|(i, c)| (*c, i)).collect(),
            cells: vec![String::new(); width],
            order,
            messy,
            seed,
            tag,
            text_rng: Stream::new(seed, 700 + tag, 0),
        })
    }

    /// The random stream of row `index` of this file.
    pub fn stream(&self, index: u64) -> Stream {
        Stream::new(self.seed, self.tag + 1000, index)
    }

    fn cell(&mut self, column: &str) -> &mut String {
        let i = *self
            .index
            .get(column)
            .unwrap_or_else(|| panic!("generator: no column {column}"));
        let c = &mut self.cells[i];
        c.clear();
        c
    }

    pub fn set(&mut self, column: &str, value: &str) {
        self.cell(column).push_str(value);
    }

    /// DateCreated, DateUpdated, UserID and ExportID, as every HUD file has them.
    pub fn stamp(&mut self) {
        const CREATED: &str = "2024-01-02 10:00:00";
        self.set("DateCreated", CREATED);
        self.set("DateUpdated", CREATED);
        self.set("UserID", "1");
        self.set("ExportID", "1");
    }

    pub fn set_date(&mut self, column: &str, d: NaiveDate) {
        fmt_date(self.cell(column), d);
    }

    /// Free text: messy exports quote commas, quotes and newlines in it.
    pub fn set_text(&mut self, column: &str, value: &str) {
        let r = if self.messy { self.text_rng.f64() } else { 1.0 };
        let c = self.cell(column);
        c.push_str(value);
        if r < 0.02 {
            c.push_str(", \"the\" one");
        } else if r < 0.025 {
            c.push_str("\nsecond line");
        }
    }

    pub fn clear(&mut self) {
        for c in &mut self.cells {
            c.clear();
        }
    }

    /// Writes the row and keeps its cells (to write it again).
    pub fn row_keep(&mut self) -> io::Result<()> {
        if self.messy {
            let r = self.text_rng.f64();
            let note = self.cells.len() - 1;
            self.cells[note] = if r < 0.01 {
                "called, \"left\" a message\r\nback".into()
            } else {
                String::new()
            };
        }
        let cells = &self.cells;
        self.writer
            .write_record(self.order.iter().map(|&i| &cells[i]))?;
        Ok(())
    }

    pub fn row(&mut self) -> io::Result<()> {
        self.row_keep()?;
        self.clear();
        Ok(())
    }

    /// A row with its last field missing.
    pub fn ragged_row(&mut self) -> io::Result<()> {
        let cells = &self.cells;
        let n = self.order.len() - 1;
        self.writer
            .write_record(self.order[..n].iter().map(|&i| &cells[i]))?;
        self.clear();
        Ok(())
    }

    /// Flushes the file; returns its size in bytes.
    pub fn finish(self) -> io::Result<u64> {
        let file = self.writer.into_inner().map_err(|e| e.into_error())?;
        let file = file.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok(file.metadata()?.len())
    }
}
