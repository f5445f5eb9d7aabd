//! The CSV reader against an independent reading (lines split by hand, then the
//! row-of-text-cells path `read_rows`), on files large enough to be read on two threads;
//! errors keep their file, row, column, institution, item and value. Files read in chunks
//! (`read_csv_file`) give what their bytes give, quoted fields (read by the `csv` crate)
//! what the `csv` crate reads.

use std::path::PathBuf;

use apertura::io::{read_auto_file, read_csv, read_csv_file, read_csv_where, read_rows, RowFilter};
use apertura::{Edition, InputErrorKind};

const HEADER: &str = "id,name,edo,niv,ts,extra,tg,tc,pg,pc";

/// A wide file of `n` rows (about 60 bytes each), no quotes.
fn wide(n: usize) -> String {
    let mut s = String::from(HEADER);
    s.push('\n');
    for i in 0..n {
        let v = |k: usize| ((i * 7 + k * 13) % 1000) as f64 / 999.0;
        let cell = |k: usize| match (i + k) % 97 {
            0 => String::new(),
            1 => "NA".to_string(),
            _ => format!("{}", v(k)),
        };
        s.push_str(&format!(
            "i{i},Institución {i},{},{},Municipio,x{},{},{},{},{}\n",
            ["Jalisco", "Federal", "Nuevo León"][i % 3],
            ["Municipal", "Federal", "estatal"][i % 3],
            i % 5,
            cell(0),
            cell(1),
            cell(2),
            cell(3)
        ));
    }
    s
}

/// The same file read by hand: lines split at commas (no quotes), blank lines skipped.
fn by_hand(text: &str, e: &Edition) -> apertura::Result<apertura::Dataset> {
    let mut lines = text.lines();
    let headers: Vec<String> = lines.next().unwrap().split(',').map(|h| h.trim().to_string()).collect();
    let rows = lines
        .filter(|l| !l.is_empty())
        .enumerate()
        .filter(|(_, l)| !l.split(',').all(|f| f.trim().is_empty()))
        .map(|(k, l)| (k + 1, l.split(',').map(str::to_string).collect()))
        .collect();
    read_rows(&headers, rows, e, "t.csv")
}

#[test]
fn large_files_read_as_by_hand() {
    let e = Edition::load("mga-2017").unwrap();
    let text = wide(40_000);
    assert!(text.len() > 2 << 20, "large enough to be split: {}", text.len());
    let fast = read_csv(text.as_bytes(), &e, "t.csv").unwrap();
    assert_eq!(fast, by_hand(&text, &e).unwrap());
    assert_eq!(fast.len(), 40_000);
    assert_eq!(fast.row_of(39_999), Some(40_000));
    // Windows line ends, a byte-order mark and blank lines give the same dataset.
    let crlf = format!(
        "\u{feff}{}",
        text.replace('\n', "\r\n").replacen("\r\n", "\r\n,,,\r\n\r\n", 2)
    );
    let back = read_csv(crlf.as_bytes(), &e, "t.csv").unwrap();
    assert_eq!(back.institutions, fast.institutions);
    assert_eq!(back.columns, fast.columns);
}

#[test]
fn errors_in_the_second_half_name_their_row() {
    let e = Edition::load("mga-2017").unwrap();
    let mut text = wide(40_000);
    // Row 30,000 (line 30,001): a bad value of tc; row 35,000 loses a field.
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut f: Vec<String> = lines[30_000].split(',').map(str::to_string).collect();
    f[7] = "abc".into();
    lines[30_000] = f.join(",");
    lines[35_000] = lines[35_000].rsplit_once(',').unwrap().0.to_string();
    text = lines.join("\n") + "\n";
    let err = read_csv(text.as_bytes(), &e, "t.csv").unwrap_err();
    let reference = by_hand(&text, &e).unwrap_err();
    assert_eq!(err.to_string(), reference.to_string());
    let apertura::Error::Input(list) = err else {
        panic!("an input error")
    };
    let all = list.errors();
    assert_eq!(all.len(), 2, "{all:?}");
    assert_eq!(all[0].kind, InputErrorKind::NotANumber);
    assert_eq!(all[0].row, Some(30_000));
    assert_eq!(all[0].column.as_deref(), Some("tc"));
    assert_eq!(all[0].item.as_deref(), Some("tc"));
    assert_eq!(all[0].value.as_deref(), Some("abc"));
    assert_eq!(all[0].institution.as_deref(), Some("i29999"));
    assert_eq!(all[0].source.as_deref(), Some("t.csv"));
    assert_eq!(all[1].kind, InputErrorKind::Malformed);
    assert_eq!(all[1].row, Some(35_000));
}

#[test]
fn filters_and_invalid_bytes() {
    let e = Edition::load("mga-2017").unwrap();
    let text = wide(30_000);
    let f = [RowFilter::parse("extra=x3").unwrap()];
    let kept = read_csv_where(text.as_bytes(), &e, "t.csv", &f).unwrap();
    assert_eq!(kept.len(), 6_000);
    assert!(kept.institutions.iter().all(|i| i.metadata["extra"] == "x3"));
    assert_eq!(kept.row_of(0), Some(4));
    let missing = read_csv_where(text.as_bytes(), &e, "t.csv", &[RowFilter::parse("year=1").unwrap()]).unwrap_err();
    assert!(missing.to_string().contains("no column \"year\""), "{missing}");
    // Bytes that are not UTF-8 are replaced, as decoding the whole file first would.
    let mut bytes = text.into_bytes();
    let at = bytes.len() - 30;
    let name_at = at - bytes[..at].iter().rev().position(|&b| b == b'\n').unwrap();
    bytes.splice(name_at..name_at, [0xE2u8, 0x28]);
    let lossy = String::from_utf8_lossy(&bytes).into_owned();
    assert_eq!(read_csv(&bytes, &e, "t.csv").unwrap(), by_hand(&lossy, &e).unwrap());
}

/// `bytes` in a file of the temporary directory, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, bytes: &[u8]) -> TempFile {
        let path = std::env::temp_dir().join(format!("apertura-io-{}-{name}", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The same file read by the `csv` crate alone (any quoting), then `read_rows`.
fn by_csv_crate(bytes: &[u8], e: &Edition) -> apertura::Result<apertura::Dataset> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers: Vec<String> = reader.headers().unwrap().iter().map(|h| h.trim().to_string()).collect();
    let rows = reader
        .records()
        .enumerate()
        .map(|(k, r)| (k + 1, r.unwrap().iter().map(str::to_string).collect::<Vec<String>>()))
        .filter(|(_, f)| !f.iter().all(|x| x.trim().is_empty()))
        .collect();
    read_rows(&headers, rows, e, "t.csv")
}

/// `read_csv_file` of these bytes, and `read_csv_where` of them, as text (errors too).
fn both(name: &str, bytes: &[u8], e: &Edition, filters: &[RowFilter]) -> (String, String) {
    let file = TempFile::new(name, bytes);
    let show = |r: apertura::Result<apertura::Dataset>| match r {
        Ok(d) => format!("{d:?}"),
        Err(e) => format!("error: {e:?}"),
    };
    (
        show(read_csv_file(&file.0, e, "t.csv", filters)),
        show(read_csv_where(bytes, e, "t.csv", filters)),
    )
}

#[test]
fn files_read_in_chunks_as_their_bytes() {
    let e = Edition::load("mga-2017").unwrap();
    let text = wide(40_000);
    let (file, bytes) = both("large.csv", text.as_bytes(), &e, &[]);
    assert_eq!(file, bytes);
    assert!(!file.starts_with("error"));
    let crlf = format!(
        "\u{feff}{}",
        text.replace('\n', "\r\n").replacen("\r\n", "\r\n,,,\r\n\r\n", 2)
    );
    let (file, bytes) = both("crlf.csv", crlf.as_bytes(), &e, &[]);
    assert_eq!(file, bytes);
    // Errors in both halves, with their rows; a filter; a small file (one thread); no
    // line end at the end.
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[100] = lines[100].replace(",Municipio,", ",Municipio,extra,");
    lines[30_000] = lines[30_000].replacen(",x", ",x,", 1);
    lines[35_000] = lines[35_000].rsplit_once(',').unwrap().0.to_string() + ",abc";
    let bad = lines.join("\n");
    let (file, bytes) = both("bad.csv", bad.as_bytes(), &e, &[]);
    assert_eq!(file, bytes);
    for row in ["Some(100)", "Some(30000)", "Some(35000)"] {
        assert!(file.contains(row), "{row} in {file}");
    }
    let f = [RowFilter::parse("extra=x3").unwrap()];
    let (file, bytes) = both("filtered.csv", text.as_bytes(), &e, &f);
    assert_eq!(file, bytes);
    let small = wide(50);
    let (file, bytes) = both("small.csv", small.trim_end().as_bytes(), &e, &[]);
    assert_eq!(file, bytes);
    assert_eq!(
        read_auto_file(&TempFile::new("auto.csv", small.as_bytes()).0, &e, "t.csv").unwrap(),
        read_csv(small.as_bytes(), &e, "t.csv").unwrap()
    );
}

#[test]
fn quoted_fields_in_either_half() {
    let e = Edition::load("mga-2017").unwrap();
    let text = wide(40_000);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // A quoted name with a comma and a line end in it, early (the first thread reads on
    // to the end) or late (the second thread's part only).
    for at in [10, 39_000] {
        let mut quoted = lines.clone();
        quoted[at] = quoted[at].replacen(",Institución", ",\"Institución, con \"\"coma\"\"\nen dos líneas\"", 1);
        let bytes = (quoted.join("\n") + "\n").into_bytes();
        let reference = by_csv_crate(&bytes, &e).unwrap();
        assert_eq!(read_csv(&bytes, &e, "t.csv").unwrap(), reference);
        let file = TempFile::new(&format!("quoted-{at}.csv"), &bytes);
        assert_eq!(read_csv_file(&file.0, &e, "t.csv", &[]).unwrap(), reference);
        assert!(reference.institutions[at - 1].name.contains("coma\"\nen dos"));
    }
    lines.truncate(3);
    // A file that is not there: an io error naming it.
    let err = read_csv_file(std::path::Path::new("/nonexistent/x.csv"), &e, "x.csv", &[]).unwrap_err();
    assert_eq!(err.code(), "io");
    assert!(err.to_string().contains("cannot read x.csv"), "{err}");
}
