//! Institutions (*sujetos obligados*) and their classification vocabularies.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// One of Mexico's 32 federal entities, or the federal level.
///
/// Parsing ([`Jurisdiction::parse`]) ignores case, accents, spaces and punctuation, so
/// `"Nuevo León"`, `"NuevoLeon"` and `"nuevo leon"` are the same; `"CDMX"`, `"Distrito
/// Federal"`, `"Estado de México"` and `"Federación"` are accepted too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Jurisdiction {
    Federal,
    Aguascalientes,
    BajaCalifornia,
    BajaCaliforniaSur,
    Campeche,
    Coahuila,
    Colima,
    Chiapas,
    Chihuahua,
    CiudadDeMexico,
    Durango,
    Guanajuato,
    Guerrero,
    Hidalgo,
    Jalisco,
    Mexico,
    Michoacan,
    Morelos,
    Nayarit,
    NuevoLeon,
    Oaxaca,
    Puebla,
    Queretaro,
    QuintanaRoo,
    SanLuisPotosi,
    Sinaloa,
    Sonora,
    Tabasco,
    Tamaulipas,
    Tlaxcala,
    Veracruz,
    Yucatan,
    Zacatecas,
}

impl Jurisdiction {
    /// All 33, federal first, then the states in INEGI code order.
    pub const ALL: [Jurisdiction; 33] = {
        use Jurisdiction::*;
        [
            Federal,
            Aguascalientes,
            BajaCalifornia,
            BajaCaliforniaSur,
            Campeche,
            Coahuila,
            Colima,
            Chiapas,
            Chihuahua,
            CiudadDeMexico,
            Durango,
            Guanajuato,
            Guerrero,
            Hidalgo,
            Jalisco,
            Mexico,
            Michoacan,
            Morelos,
            Nayarit,
            NuevoLeon,
            Oaxaca,
            Puebla,
            Queretaro,
            QuintanaRoo,
            SanLuisPotosi,
            Sinaloa,
            Sonora,
            Tabasco,
            Tamaulipas,
            Tlaxcala,
            Veracruz,
            Yucatan,
            Zacatecas,
        ]
    };

    /// INEGI state code (`01` Aguascalientes ... `32` Zacatecas); 0 for the federal level.
    pub fn inegi_code(self) -> u8 {
        Self::ALL.iter().position(|j| *j == self).unwrap_or(0) as u8
    }

    /// Official Spanish name, with accents (`"Nuevo León"`); `"Federal"` for the federation.
    pub fn name(self) -> &'static str {
        use Jurisdiction::*;
        match self {
            Federal => "Federal",
            Aguascalientes => "Aguascalientes",
            BajaCalifornia => "Baja California",
            BajaCaliforniaSur => "Baja California Sur",
            Campeche => "Campeche",
            Coahuila => "Coahuila",
            Colima => "Colima",
            Chiapas => "Chiapas",
            Chihuahua => "Chihuahua",
            CiudadDeMexico => "Ciudad de México",
            Durango => "Durango",
            Guanajuato => "Guanajuato",
            Guerrero => "Guerrero",
            Hidalgo => "Hidalgo",
            Jalisco => "Jalisco",
            Mexico => "México",
            Michoacan => "Michoacán",
            Morelos => "Morelos",
            Nayarit => "Nayarit",
            NuevoLeon => "Nuevo León",
            Oaxaca => "Oaxaca",
            Puebla => "Puebla",
            Queretaro => "Querétaro",
            QuintanaRoo => "Quintana Roo",
            SanLuisPotosi => "San Luis Potosí",
            Sinaloa => "Sinaloa",
            Sonora => "Sonora",
            Tabasco => "Tabasco",
            Tamaulipas => "Tamaulipas",
            Tlaxcala => "Tlaxcala",
            Veracruz => "Veracruz",
            Yucatan => "Yucatán",
            Zacatecas => "Zacatecas",
        }
    }

    /// Parses a name leniently (see the type docs). Returns `None` if unknown.
    pub fn parse(text: &str) -> Option<Jurisdiction> {
        static FOLDED: std::sync::OnceLock<Vec<(String, Jurisdiction)>> = std::sync::OnceLock::new();
        if let Some(j) = Self::ALL.iter().find(|j| j.name() == text) {
            return Some(*j);
        }
        let key = fold(text);
        let alias = match key.as_str() {
            "cdmx" | "df" | "distritofederal" | "ciudaddemexico" => Some(Jurisdiction::CiudadDeMexico),
            "estadodemexico" | "edomex" | "mexico" => Some(Jurisdiction::Mexico),
            "federacion" | "federal" | "nacionalfederal" => Some(Jurisdiction::Federal),
            "coahuiladezaragoza" => Some(Jurisdiction::Coahuila),
            "michoacandeocampo" => Some(Jurisdiction::Michoacan),
            "veracruzdeignaciodelallave" => Some(Jurisdiction::Veracruz),
            _ => None,
        };
        alias.or_else(|| {
            FOLDED
                .get_or_init(|| Self::ALL.iter().map(|j| (fold(j.name()), *j)).collect())
                .iter()
                .find(|(f, _)| *f == key)
                .map(|(_, j)| *j)
        })
    }
}

impl fmt::Display for Jurisdiction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A lower-case Spanish letter without its accent (`á` → `a`, `ñ` → `n`); any other
/// character as it is.
pub fn without_accent(c: char) -> char {
    match c {
        'á' | 'à' | 'ä' | 'â' => 'a',
        'é' | 'è' | 'ë' | 'ê' => 'e',
        'í' | 'ì' | 'ï' | 'î' => 'i',
        'ó' | 'ò' | 'ö' | 'ô' => 'o',
        'ú' | 'ù' | 'ü' | 'û' => 'u',
        'ñ' => 'n',
        c => c,
    }
}

/// Folds a label for lenient matching: lower case, accents removed, only letters and digits.
pub(crate) fn fold(text: &str) -> String {
    text.chars()
        .flat_map(|c| c.to_lowercase())
        .map(without_accent)
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

/// Level of government.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Federal bodies.
    Federal,
    /// State-level bodies.
    Estatal,
    /// Municipalities (and Mexico City's alcaldías).
    Municipal,
}

impl Level {
    /// All levels.
    pub const ALL: [Level; 3] = [Level::Federal, Level::Estatal, Level::Municipal];
    /// Spanish name as in the 2017 file.
    pub fn name(self) -> &'static str {
        match self {
            Level::Federal => "Federal",
            Level::Estatal => "Estatal",
            Level::Municipal => "Municipal",
        }
    }
    /// Lenient parse (`federal`, `estatal`/`state`, `municipal`/`municipality`).
    pub fn parse(text: &str) -> Option<Level> {
        match fold(text).as_str() {
            "federal" => Some(Level::Federal),
            "estatal" | "state" => Some(Level::Estatal),
            "municipal" | "municipality" | "municipio" => Some(Level::Municipal),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Type of institution: the 11 types of the 2017 file, plus `Other` for later vocabularies.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstitutionType {
    /// Constitutionally autonomous bodies (includes state electoral institutes).
    Autonomo,
    /// Federal decentralised bodies.
    Descentralizado,
    /// State executive.
    EjecutivoEstatal,
    /// Federal executive.
    EjecutivoFederal,
    /// Public trusts and funds.
    Fideicomiso,
    /// Judiciary.
    Judicial,
    /// Legislatures (includes auditing bodies).
    Legislativo,
    /// Municipalities and alcaldías.
    Municipio,
    /// Political parties.
    Partido,
    /// Unions.
    Sindicato,
    /// Public universities.
    Universidad,
    /// Any other type, as written.
    Other(String),
}

impl InstitutionType {
    /// The 11 types of the 2017 file.
    pub const KNOWN: [InstitutionType; 11] = [
        InstitutionType::Autonomo,
        InstitutionType::Descentralizado,
        InstitutionType::EjecutivoEstatal,
        InstitutionType::EjecutivoFederal,
        InstitutionType::Fideicomiso,
        InstitutionType::Judicial,
        InstitutionType::Legislativo,
        InstitutionType::Municipio,
        InstitutionType::Partido,
        InstitutionType::Sindicato,
        InstitutionType::Universidad,
    ];
    /// Spanish name (as in the 2017 file, with accents restored).
    pub fn name(&self) -> &str {
        match self {
            InstitutionType::Autonomo => "Autónomo",
            InstitutionType::Descentralizado => "Descentralizado",
            InstitutionType::EjecutivoEstatal => "Ejecutivo estatal",
            InstitutionType::EjecutivoFederal => "Ejecutivo federal",
            InstitutionType::Fideicomiso => "Fideicomiso",
            InstitutionType::Judicial => "Judicial",
            InstitutionType::Legislativo => "Legislativo",
            InstitutionType::Municipio => "Municipio",
            InstitutionType::Partido => "Partido",
            InstitutionType::Sindicato => "Sindicato",
            InstitutionType::Universidad => "Universidad",
            InstitutionType::Other(s) => s,
        }
    }
    /// Lenient parse; anything unknown becomes `Other(text)`.
    pub fn parse(text: &str) -> InstitutionType {
        static FOLDED: std::sync::OnceLock<Vec<(String, InstitutionType)>> = std::sync::OnceLock::new();
        if let Some(t) = Self::KNOWN.iter().find(|t| t.name() == text) {
            return t.clone();
        }
        let key = fold(text);
        FOLDED
            .get_or_init(|| Self::KNOWN.iter().map(|t| (fold(t.name()), t.clone())).collect())
            .iter()
            .find(|(f, _)| *f == key)
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| match key.as_str() {
                "autonomous" => InstitutionType::Autonomo,
                "municipality" => InstitutionType::Municipio,
                "party" | "partidopolitico" => InstitutionType::Partido,
                "union" => InstitutionType::Sindicato,
                "university" => InstitutionType::Universidad,
                "trust" => InstitutionType::Fideicomiso,
                _ => InstitutionType::Other(text.trim().to_string()),
            })
    }
}

impl fmt::Display for InstitutionType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An institution (*sujeto obligado*) and its metadata. Scores live in
/// [`Scores`](crate::Scores), observations in a [`Dataset`](crate::Dataset).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Institution {
    /// Identifier, unique within a dataset.
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Jurisdiction, if known.
    #[serde(default)]
    pub jurisdiction: Option<Jurisdiction>,
    /// Level of government, if known.
    #[serde(default)]
    pub level: Option<Level>,
    /// Type, if known.
    #[serde(default, rename = "type")]
    pub kind: Option<InstitutionType>,
    /// Any other columns of the input, kept as text.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
}

impl Institution {
    /// A new institution with only an id (and the id as name).
    pub fn new(id: impl Into<String>) -> Self {
        let id = id.into();
        Institution {
            name: id.clone(),
            id,
            jurisdiction: None,
            level: None,
            kind: None,
            metadata: BTreeMap::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jurisdictions_parse_leniently() {
        assert_eq!(Jurisdiction::parse("NuevoLeon"), Some(Jurisdiction::NuevoLeon));
        assert_eq!(Jurisdiction::parse("Nuevo León"), Some(Jurisdiction::NuevoLeon));
        assert_eq!(
            Jurisdiction::parse("Ciudad de Mexico"),
            Some(Jurisdiction::CiudadDeMexico)
        );
        assert_eq!(Jurisdiction::parse("CDMX"), Some(Jurisdiction::CiudadDeMexico));
        assert_eq!(Jurisdiction::parse("Mexico"), Some(Jurisdiction::Mexico));
        assert_eq!(Jurisdiction::parse("Federal"), Some(Jurisdiction::Federal));
        assert_eq!(Jurisdiction::parse("Atlantis"), None);
        assert_eq!(Jurisdiction::Zacatecas.inegi_code(), 32);
        assert_eq!(Jurisdiction::Aguascalientes.inegi_code(), 1);
        for j in Jurisdiction::ALL {
            assert_eq!(Jurisdiction::parse(j.name()), Some(j), "{j}");
        }
    }

    #[test]
    fn types_and_levels_parse() {
        assert_eq!(InstitutionType::parse("Autonomo"), InstitutionType::Autonomo);
        assert_eq!(
            InstitutionType::parse("Ejecutivo estatal"),
            InstitutionType::EjecutivoEstatal
        );
        assert_eq!(
            InstitutionType::parse("Órgano garante"),
            InstitutionType::Other("Órgano garante".into())
        );
        assert_eq!(Level::parse("Municipal"), Some(Level::Municipal));
        assert_eq!(Level::parse("Provincial"), None);
    }
}
