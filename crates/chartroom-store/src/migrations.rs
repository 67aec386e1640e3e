//! The schema's history. Append-only: never edit a migration that has shipped,
//! only add the next one. All pending migrations run in one transaction and
//! `PRAGMA user_version` records how far a file has come, so an older binary
//! refuses a newer file (see [`crate::StoreError::NewerSchema`]).
//!
//! Each migration is one file, `src/migrations/NNNN_what.sql`, compiled in
//! and listed once in [`MIGRATIONS`]. The tests pin every shipped file's
//! SHA-256 and compare the whole resulting schema with
//! `src/migrations/schema.snapshot` (after a new migration:
//! `UPDATE_EXPECT=1 cargo test -p chartroom-store schema_snapshot`).

use rusqlite::Connection;

use crate::Result;

/// One step of the schema's history: the file it lives in (under
/// `src/migrations/`) and its SQL, compiled in verbatim.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// The file name, `NNNN_what.sql`; `NNNN` is the version it moves to.
    pub name: &'static str,
    /// The SQL, byte for byte as shipped (pinned by a test).
    pub sql: &'static str,
}

/// A migration file under `src/migrations/`, by name.
macro_rules! migration {
    ($file:literal) => {
        Migration {
            name: $file,
            sql: include_str!(concat!("migrations/", $file)),
        }
    };
}

/// Every migration, in order: entry `i` moves the schema from version `i`
/// to `i + 1`. Only ever append; the test `shipped_migrations_never_change`
/// pins each shipped file's SHA-256.
pub const MIGRATIONS: &[Migration] = &[
    // 1: practice, settings, users, patients, search index, audit chain.
    migration!("0001_foundation.sql"),
    // 2: the clinical chart. Nothing clinical is ever deleted (triggers
    // refuse it); signed notes cannot change (trigger); every version of a
    // chart entry is kept in `chart_entry_version`.
    migration!("0002_clinical_chart.sql"),
    // 3: the database itself keeps clinical records final: a signed note
    // only moves to entered in error, an observation's value never changes,
    // an entry in error stays so.
    migration!("0003_records_final.sql"),
    // 4: visits and documents keep every replaced description; retracted
    // observations and documents say who retracted them and when.
    migration!("0004_record_history.sql"),
    // 5: one mechanism for corrections (`crate::corrections`): every
    // replaced state in `replaced_state`, every mark of entered in error in
    // `entered_in_error`; the rows of the three older history tables and the
    // marks already made are copied there, and those tables stay, unwritten.
    migration!("0005_corrections.sql"),
    // 6: the database refuses what the rules refuse: the audit log only
    // grows at its head (records say how they were hashed), history rows,
    // disclosures and safety overrides are written once, patients and users
    // are never deleted, a signed visit and a document in error are final.
    migration!("0006_hardening.sql"),
    // 7: clinicians' Ed25519 signing keys (public half in the clear and in
    // the audit chain, private half wrapped by the password), and each
    // signed note's signature and key.
    migration!("0007_signing_keys.sql"),
    // 8: records out: the disclosure log says to whom (and their address),
    // why, what and how many pages; the practice's referral address book.
    migration!("0008_records_out.sql"),
    // 9: scheduling: calendars with their working week, appointment types,
    // closures, recurring series whose occurrences are rows of their own,
    // appointments and their status history; nothing deleted.
    migration!("0009_scheduling.sql"),
    // 10: the waitlist and recalls, each entry closed once (booked with its
    // appointment, or with a reason) and never deleted.
    migration!("0010_waitlist_recalls.sql"),
    // 11: rooms (never deleted, taken out of use), and the room an
    // appointment holds.
    migration!("0011_rooms.sql"),
    // 12: billing: the fee schedule, payers, billing accounts and coverage,
    // charges, payments, the ledger (written once) and closed days (whose
    // postings are final).
    migration!("0012_billing.sql"),
    // 13: statements sent to guarantors (written once: the history), and
    // indexes of what is owed on each charge by each party and of credit
    // not yet applied (A/R aging).
    migration!("0013_statements.sql"),
    // 14: paper claims (CMS-1500): a claim to one payer for a patient's
    // service lines (written once), its status, the claim it replaces; the
    // payer's plan type (item 1) and each clinician's NPI (item 24J).
    migration!("0014_claims.sql"),
    // 15: indexes that add up an account's ledger by kind and party, and
    // what each party owes on each charge, without reading its entries
    // (the ledger screen's balances).
    migration!("0015_ledger_sums.sql"),
];

/// The schema version this build writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// Runs every pending migration in one transaction.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction()?;
    let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (i, m) in MIGRATIONS.iter().enumerate().skip(current.max(0) as usize) {
        tx.execute_batch(m.sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    use super::*;

    /// The SHA-256 of every shipped migration, in order. A migration ships
    /// with the release that first writes it to someone's file; from then on
    /// its text is history. Adding a migration means adding its line here.
    const SHIPPED: &[(&str, &str)] = &[
        (
            "0001_foundation.sql",
            "4d3a6ab81fa907ccd256c55d07da2c59ca33f6e43df8170a594802d4cb541612",
        ),
        (
            "0002_clinical_chart.sql",
            "26b14e7c233902127a0183e61f785e9d5c50140bafde45b1ed52d9c7c4a8578d",
        ),
        (
            "0003_records_final.sql",
            "dfd6c29459f66978780feb57836dcb738bfd12a1b43702516ab88040a3f75e31",
        ),
        (
            "0004_record_history.sql",
            "c4411a1c79b6b240014b519030bfd2333fbe3ecfc96d0353211033569c5686bd",
        ),
        (
            "0005_corrections.sql",
            "b952523c7e233732b3fce021f1fdb2ecf7659dd3872ffc5faccc201144a5fda2",
        ),
        (
            "0006_hardening.sql",
            "2f22cdab1633e05411b5eaeff8279cb713e89b4495ad74c04d30a50fa008d60e",
        ),
        (
            "0007_signing_keys.sql",
            "60a8f60377b6d058855a53bde9c26f46a1b828756f0fe324342e0e064ca6c4fe",
        ),
        (
            "0008_records_out.sql",
            "d1b64ca7cbafa1f71e48b3b06efce2a204f4ce70e80526ebc71d63bd9cc15fa0",
        ),
        (
            "0009_scheduling.sql",
            "7604eb9940fd98613da522db598282b0e3e0d0105e7f938069b633a9f64971d4",
        ),
        (
            "0010_waitlist_recalls.sql",
            "aa1ee97153cc54d6e2d107b4182edecf3b9da247f2322d44ee037fbe53ce3f80",
        ),
        (
            "0011_rooms.sql",
            "a2a0bf66dbcdbea9fa068e4eec2738780dcd5b57edd59aeac4ff332626a87c9b",
        ),
        (
            "0012_billing.sql",
            "6330ada0576cf050949b3175656914f7dacba0fc692b11495e55e03800f0f533",
        ),
        (
            "0013_statements.sql",
            "5cd0d8413682efb4bb43d71aa75ecd924f66652a8f06c900d163b4c69e57c103",
        ),
        (
            "0014_claims.sql",
            "4674e670aab38752a8379a370c3d3ce50ad3416e44d739e360e95e759b55eaec",
        ),
        (
            "0015_ledger_sums.sql",
            "c0703d289b82df36626974705ea54b0f9efbc3aa2facb5be8a7dffcd03ae0a1b",
        ),
    ];

    /// A file that stopped at an older release's schema.
    fn at_version(version: usize) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        for m in &MIGRATIONS[..version] {
            conn.execute_batch(m.sql).unwrap();
        }
        conn.pragma_update(None, "user_version", version as i64)
            .unwrap();
        conn
    }

    fn latest() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        conn
    }

    fn user_version(conn: &Connection) -> i64 {
        conn.query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap()
    }

    /// Every row of a query, each value as text (`NULL` for null).
    fn rows(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Vec<Vec<String>> {
        let mut stmt = conn.prepare(sql).unwrap();
        let n = stmt.column_count();
        stmt.query_map(params, |r| {
            (0..n)
                .map(|i| {
                    Ok(match r.get_ref(i)? {
                        rusqlite::types::ValueRef::Null => "NULL".to_owned(),
                        rusqlite::types::ValueRef::Integer(v) => v.to_string(),
                        rusqlite::types::ValueRef::Real(v) => v.to_string(),
                        rusqlite::types::ValueRef::Text(t) => {
                            String::from_utf8_lossy(t).into_owned()
                        }
                        rusqlite::types::ValueRef::Blob(b) => format!("x'{}'", hex::encode(b)),
                    })
                })
                .collect()
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
    }

    /// SQL as stored in `sqlite_master`, each line trimmed and inner runs of
    /// whitespace collapsed, so indentation does not show but every clause
    /// (CHECK, UNIQUE, COLLATE, WITHOUT ROWID, trigger bodies) does.
    fn normalised(sql: &str) -> Vec<String> {
        crate::search::clean_lines(sql)
    }

    /// The whole schema, readably: every table with its CREATE statement,
    /// columns, foreign keys, indexes (also the ones SQLite makes for UNIQUE
    /// and PRIMARY KEY constraints) and triggers, then anything else in
    /// `sqlite_master` (views), then the schema version.
    fn schema(conn: &Connection) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let tables = rows(
            conn,
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             ORDER BY name",
            [],
        );
        for t in &tables {
            let (table, sql) = (&t[0], &t[1]);
            writeln!(out, "table {table}").unwrap();
            for line in normalised(sql) {
                writeln!(out, "    | {line}").unwrap();
            }
            for c in rows(
                conn,
                "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?1) ORDER BY cid",
                [table],
            ) {
                let mut line = format!("  column {} {}", c[0], c[1]);
                if c[2] == "1" {
                    line.push_str(" NOT NULL");
                }
                if c[3] != "NULL" {
                    write!(line, " DEFAULT {}", c[3]).unwrap();
                }
                if c[4] != "0" {
                    write!(line, " PK#{}", c[4]).unwrap();
                }
                writeln!(out, "{line}").unwrap();
            }
            for fk in rows(
                conn,
                "SELECT id, seq, \"from\", \"table\", \"to\", on_update, on_delete, \"match\" \
                 FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
                [table],
            ) {
                writeln!(
                    out,
                    "  foreign key #{}.{} {} -> {}({}) on update {} on delete {} match {}",
                    fk[0], fk[1], fk[2], fk[3], fk[4], fk[5], fk[6], fk[7]
                )
                .unwrap();
            }
            for ix in rows(
                conn,
                "SELECT l.name, l.\"unique\", l.origin, l.partial, m.sql FROM pragma_index_list(?1) l \
                 LEFT JOIN sqlite_master m ON m.type = 'index' AND m.name = l.name ORDER BY l.name",
                [table],
            ) {
                let cols: Vec<String> = rows(
                    conn,
                    "SELECT coalesce(name, '<expr>') FROM pragma_index_info(?1) ORDER BY seqno",
                    [&ix[0]],
                )
                .into_iter()
                .map(|r| r[0].clone())
                .collect();
                writeln!(
                    out,
                    "  index {} ({}) unique={} origin={} partial={}",
                    ix[0],
                    cols.join(", "),
                    ix[1],
                    ix[2],
                    ix[3]
                )
                .unwrap();
                if ix[4] != "NULL" {
                    for line in normalised(&ix[4]) {
                        writeln!(out, "    | {line}").unwrap();
                    }
                }
            }
            for tr in rows(
                conn,
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?1 ORDER BY name",
                [table],
            ) {
                writeln!(out, "  trigger {}", tr[0]).unwrap();
                for line in normalised(&tr[1]) {
                    writeln!(out, "    | {line}").unwrap();
                }
            }
            out.push('\n');
        }
        for other in rows(
            conn,
            "SELECT type, name, coalesce(sql, '') FROM sqlite_master \
             WHERE type NOT IN ('table', 'index', 'trigger') ORDER BY type, name",
            [],
        ) {
            writeln!(out, "{} {}", other[0], other[1]).unwrap();
            for line in normalised(&other[2]) {
                writeln!(out, "    | {line}").unwrap();
            }
            out.push('\n');
        }
        writeln!(out, "user_version {}", user_version(conn)).unwrap();
        out
    }

    /// The whole schema after all migrations. A change here must come with a
    /// new migration, never an edit of an old one; update the snapshot with
    /// `UPDATE_EXPECT=1 cargo test -p chartroom-store schema_snapshot`.
    #[test]
    fn schema_snapshot() {
        let conn = latest();
        expect_test::expect_file!["migrations/schema.snapshot"].assert_eq(&schema(&conn));
        assert_eq!(user_version(&conn), LATEST);
    }

    /// A shipped migration's text is what every file in the field was built
    /// from; changing it would give new files a schema that old files never
    /// get. This pins each one's SHA-256.
    #[test]
    fn shipped_migrations_never_change() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            let got = hex::encode(Sha256::digest(m.sql.as_bytes()));
            let Some(&(name, want)) = SHIPPED.get(i) else {
                panic!(
                    "migration {} ({}) has no pinned SHA-256: add (\"{}\", \"{got}\") to SHIPPED",
                    i + 1,
                    m.name,
                    m.name
                );
            };
            assert_eq!(
                m.name,
                name,
                "migration {} is {name} when shipped; never rename, reorder or remove a shipped migration, add a new one",
                i + 1
            );
            assert_eq!(
                got,
                want,
                "migration {} ({name}) has changed: never edit a shipped migration, add a new one",
                i + 1
            );
        }
        assert!(
            SHIPPED.len() <= MIGRATIONS.len(),
            "{} is shipped but missing from MIGRATIONS: never remove a shipped migration",
            SHIPPED[MIGRATIONS.len()].0
        );
    }

    /// `src/migrations/` holds exactly the listed files, numbered from 0001
    /// in list order, so a new file cannot be forgotten or run out of turn.
    #[test]
    fn migration_files_are_listed_in_order() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            let prefix = format!("{:04}_", i + 1);
            assert!(
                m.name.starts_with(&prefix) && m.name.ends_with(".sql"),
                "migration {} is named {}; expected {prefix}<what>.sql",
                i + 1,
                m.name
            );
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/migrations");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        on_disk.sort();
        let listed: Vec<&str> = MIGRATIONS.iter().map(|m| m.name).collect();
        assert_eq!(
            on_disk,
            listed,
            "every .sql file in {} must be listed in MIGRATIONS, in order",
            dir.display()
        );
    }

    #[test]
    fn migrating_twice_is_a_no_op() {
        let mut conn = latest();
        let before = schema(&conn);
        migrate(&mut conn).unwrap();
        assert_eq!(user_version(&conn), LATEST);
        assert_eq!(schema(&conn), before);
    }

    /// A file written by the first release (schema 1) moves to the latest
    /// schema on open, keeping its rows.
    #[test]
    fn a_version_1_file_upgrades_in_place() {
        let mut conn = at_version(1);
        conn.execute(
            "INSERT INTO setting (key, value) VALUES ('idle_lock_minutes', '7')",
            [],
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        assert_eq!(user_version(&conn), LATEST);
        let kept: String = conn
            .query_row(
                "SELECT value FROM setting WHERE key = 'idle_lock_minutes'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(kept, "7");
        let n: i64 = conn
            .query_row("SELECT count(*) FROM chart_entry", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
    }

    /// A file upgraded from any older schema ends with exactly the schema a
    /// new file gets.
    #[test]
    fn every_older_file_upgrades_to_the_new_files_schema() {
        let fresh = schema(&latest());
        for version in 1..MIGRATIONS.len() {
            let mut conn = at_version(version);
            migrate(&mut conn).unwrap();
            assert_eq!(
                schema(&conn),
                fresh,
                "a version-{version} file upgraded to a different schema"
            );
        }
    }
}
