//! The CSV reader against an independent reading (lines split by hand, then the
//! row-of-text-cells path `read_rows`), on files large enough to be read on two threads;
//! errors keep their file, row, column, institution, item and value.

use apertura::io::{read_csv, read_csv_where, read_rows, RowFilter};
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
