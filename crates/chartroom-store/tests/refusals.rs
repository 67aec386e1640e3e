//! The database itself refuses what the rules refuse, to anyone with the key
//! at a SQLite shell as much as to the app: for every table that holds a
//! clinical, financial or audit record, an UPDATE of what is final, a DELETE
//! and a REPLACE (to SQLite a delete and an insert) through raw SQL are
//! refused, and the row is left exactly as it was.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use chartroom_store::Store;

const KEY: [u8; 32] = [9u8; 32];
const AT: &str = "2026-03-02T09:00:00.000000Z";

/// One row of every guarded table, inserted through raw SQL (inserts are
/// allowed), ids all 1; the visit's note is signed and the document and the
/// chart entry are in error, so that what is final for them is too.
const ROWS: &str = "
    INSERT INTO user_account (id, username, full_name, password_hash, roles, created_at, updated_at)
        VALUES (1, 'doc', 'Dr Doc', 'x', '[\"physician\"]', '2026-03-02', '2026-03-02');
    INSERT INTO patient (id, mrn, family_name, given_name, birth_date, sex, sort_name, search_tokens,
        version, created_at, created_by, updated_at, updated_by)
        VALUES (1, '100001', 'Okafor', 'Ada', '1980-01-01', 'female', 'okafor ada', 'okafor ada',
        1, '2026-03-02', 1, '2026-03-02', 1);
    INSERT INTO patient_history (id, patient_id, version, snapshot, replaced_at, replaced_by)
        VALUES (1, 1, 1, '{}', '2026-03-02', 1);
    INSERT INTO chart_entry (id, patient_id, section, status, label, body, version, created_at,
        created_by, updated_at, updated_by)
        VALUES (1, 1, 'problem', 'entered_in_error', 'Asthma', '{}', 1, '2026-03-02', 1, '2026-03-02', 1);
    INSERT INTO chart_entry_version (entry_id, version, status, label, code, body, error_reason,
        change, saved_at, saved_by)
        VALUES (1, 1, 'active', 'Asthma', 'J45', '{}', '', 'created', '2026-03-02', 1);
    INSERT INTO safety_override (id, patient_id, entry_id, findings, reason, at, by_user)
        VALUES (1, 1, 1, '[]', 'benefit outweighs risk', '2026-03-02', 1);
    INSERT INTO encounter (id, patient_id, encounter_date, provider_id, kind, reason, status,
        created_at, created_by)
        VALUES (1, 1, '2026-03-02', 1, 'office', 'cough', 'active', '2026-03-02', 1);
    INSERT INTO note (id, patient_id, encounter_id, kind, status, body, version, created_at,
        created_by, updated_at, updated_by)
        VALUES (1, 1, 1, 'soap', 'draft', 'S: cough', 1, '2026-03-02', 1, '2026-03-02', 1);
    UPDATE note SET status = 'signed', signed_at = '2026-03-02', signed_by = 1 WHERE id = 1;
    INSERT INTO observation (id, patient_id, kind, code, value, unit, effective_at, status,
        recorded_at, recorded_by)
        VALUES (1, 1, 'vital', '8867-4', 72, '/min', '2026-03-02', 'final', '2026-03-02', 1);
    INSERT INTO document (id, patient_id, category, doc_date, description, file_name, mime, size,
        sha256, status, created_at, created_by)
        VALUES (1, 1, 'letter', '2026-03-02', 'Referral', 'a.pdf', 'application/pdf', 3, x'00',
        'active', '2026-03-02', 1);
    INSERT INTO document_content (document_id, content) VALUES (1, x'010203');
    UPDATE document SET status = 'entered_in_error' WHERE id = 1;
    INSERT INTO disclosure (id, patient_id, kind, record_id, recipient, description, file_name,
        sha256, at, by_user)
        VALUES (1, 1, 'print', 'note/1', 'Dr Referral', 'visit note', 'n.pdf', x'00', '2026-03-02', 1);
    INSERT INTO record_history (kind, record_id, version, snapshot, replaced_at, replaced_by)
        VALUES ('encounter', 1, 1, '{}', '2026-03-02', 1);
    INSERT INTO replaced_state (kind, record_id, version, fields, change, replaced_at, replaced_by)
        VALUES ('encounter', 1, 1, '{}', 'visit corrected', '2026-03-02', 1);
    INSERT INTO entered_in_error (kind, record_id, reason, marked_at, marked_by)
        VALUES ('document', 1, 'wrong patient', '2026-03-02', 1);
    INSERT INTO fee (id, code, level, description, cents, from_day, created_at, created_by,
        updated_at, updated_by)
        VALUES (1, '99213', 'standard', 'Office visit', 20000, '2026-01-01', '2026-03-02', 1,
        '2026-03-02', 1);
    INSERT INTO payer (id, name, created_at, created_by, updated_at, updated_by)
        VALUES (1, 'Aetna', '2026-03-02', 1, '2026-03-02', 1);
    INSERT INTO account (id, name, created_at, created_by, updated_at, updated_by)
        VALUES (1, 'Ada Okafor', '2026-03-02', 1, '2026-03-02', 1);
    INSERT INTO patient_account (patient_id, account_id, updated_at, updated_by)
        VALUES (1, 1, '2026-03-02', 1);
    INSERT INTO coverage (id, patient_id, payer_id, rank, member_id, relationship, from_day,
        created_at, created_by, updated_at, updated_by)
        VALUES (1, 1, 1, 'primary', 'W1', 'self', '2026-01-01', '2026-03-02', 1, '2026-03-02', 1);
    INSERT INTO charge (id, patient_id, account_id, service_day, code, units, unit_cents, cents,
        place, rendering_user_id, status, created_at, created_by, updated_at, updated_by)
        VALUES (1, 1, 1, '2026-03-02', '99213', 1, 20000, 20000, '11', 1, 'billed', '2026-03-02',
        1, '2026-03-02', 1);
    INSERT INTO payment (id, account_id, patient_id, method, cents, received_day, created_at,
        created_by)
        VALUES (1, 1, 1, 'cash', 2500, '2026-03-02', '2026-03-02', 1);
    INSERT INTO ledger_entry (id, account_id, patient_id, kind, cents, charge_id, posted_day,
        posted_at, posted_by)
        VALUES (1, 1, 1, 'charge', 20000, 1, '2026-03-02', '2026-03-02', 1);
    INSERT INTO closed_day (day, charges_cents, payments_cents, adjustments_cents, refunds_cents,
        closed_at, closed_by)
        VALUES ('2026-03-01', 0, 0, 0, 0, '2026-03-02', 1);
    INSERT INTO statement (id, account_id, statement_day, patient_due_cents, credit_cents,
        amount_due_cents, pending_cents, method, sha256, at, by_user)
        VALUES (1, 1, '2026-03-02', 2500, 0, 2500, 0, 'printed', zeroblob(32), '2026-03-02', 1);
    INSERT INTO claim (id, account_id, patient_id, payer_id, coverage_id, status, total_cents,
        created_at, created_by, updated_at, updated_by)
        VALUES (1, 1, 1, 1, 1, 'printed', 20000, '2026-03-02', 1, '2026-03-02', 1);
    INSERT INTO claim_line (claim_id, line_no, charge_id, cents) VALUES (1, 1, 1, 20000);
";

/// Signing keys (they name the audit record that published them, so they
/// go in after record 1): key 1 retired, key 2 current.
const KEY_ROWS: &str = "
    INSERT INTO signing_key (id, user_id, public_key, wrapped, created_at, audit_id)
        VALUES (1, 1, zeroblob(32), x'00', '2026-03-02', 1);
    UPDATE signing_key SET retired_at = '2026-03-03', retired_reason = 'password reset' WHERE id = 1;
    INSERT INTO signing_key (id, user_id, public_key, wrapped, created_at, audit_id)
        VALUES (2, 1, randomblob(32), x'01', '2026-03-03', 1);
";

/// `(table, the row's key, an UPDATE of something final in it)`; `None`
/// where the row may be edited (a patient's details, a user's account),
/// which keeps its history another way, but never removed.
const GUARDED: &[(&str, &str, Option<&str>)] = &[
    ("audit_log", "id = 1", Some("detail = 'nothing happened'")),
    ("user_account", "id = 1", None),
    ("patient", "id = 1", None),
    ("patient_history", "id = 1", Some("snapshot = '{\"x\":1}'")),
    ("chart_entry", "id = 1", Some("status = 'active'")),
    (
        "chart_entry_version",
        "entry_id = 1 AND version = 1",
        Some("label = 'Nothing'"),
    ),
    ("safety_override", "id = 1", Some("reason = 'none'")),
    ("encounter", "id = 1", Some("reason = 'something else'")),
    ("note", "id = 1", Some("body = 'S: nothing'")),
    ("note", "id = 1", Some("signature = zeroblob(64)")),
    ("signing_key", "id = 1", Some("wrapped = x'02'")),
    ("signing_key", "id = 2", Some("public_key = zeroblob(32)")),
    ("observation", "id = 1", Some("value = 140")),
    ("document", "id = 1", Some("status = 'active'")),
    (
        "document_content",
        "document_id = 1",
        Some("content = x'00'"),
    ),
    ("disclosure", "id = 1", Some("recipient = 'nobody'")),
    (
        "record_history",
        "kind = 'encounter' AND record_id = 1",
        Some("snapshot = '{\"x\":1}'"),
    ),
    (
        "replaced_state",
        "kind = 'encounter' AND record_id = 1",
        Some("change = 'nothing'"),
    ),
    (
        "entered_in_error",
        "kind = 'document' AND record_id = 1",
        Some("reason = 'fine'"),
    ),
    ("fee", "id = 1", None),
    ("payer", "id = 1", None),
    ("account", "id = 1", None),
    ("patient_account", "patient_id = 1", None),
    ("coverage", "id = 1", None),
    ("charge", "id = 1", Some("cents = 1, unit_cents = 1")),
    ("payment", "id = 1", Some("cents = 1")),
    ("ledger_entry", "id = 1", Some("cents = 1")),
    (
        "closed_day",
        "day = '2026-03-01'",
        Some("charges_cents = 1"),
    ),
    ("statement", "id = 1", Some("amount_due_cents = 1")),
    ("claim", "id = 1", Some("total_cents = 1")),
    ("claim", "id = 1", Some("status = 'draft'")),
    (
        "claim_line",
        "claim_id = 1 AND line_no = 1",
        Some("cents = 1"),
    ),
];

/// The row as text, every column, to compare before and after.
fn row(store: &Store, table: &str, key: &str) -> String {
    let conn = store.read();
    let mut stmt = conn
        .prepare(&format!("SELECT * FROM {table} WHERE {key}"))
        .unwrap();
    let n = stmt.column_count();
    let rows: Vec<String> = stmt
        .query_map([], |r| {
            (0..n)
                .map(|i| Ok(format!("{:?}", r.get_ref(i)?)))
                .collect::<rusqlite::Result<Vec<_>>>()
                .map(|v| v.join("|"))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(rows.len(), 1, "{table} WHERE {key}: {rows:?}");
    rows[0].clone()
}

#[test]
fn every_guarded_table_refuses_update_delete_and_replace_through_raw_sql() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::create(&dir.path().join("chartroom.db"), &KEY).unwrap();
    store
        .write(|tx| {
            chartroom_store::audit::append(
                tx,
                AT.parse().unwrap(),
                &chartroom_store::audit::AuditEvent {
                    username: "setup".into(),
                    action: Some(chartroom_store::model::AuditAction::Setup),
                    category: Some(chartroom_store::model::DataCategory::Administration),
                    ..Default::default()
                },
            )
        })
        .unwrap();
    store.read().execute_batch(ROWS).unwrap();
    store.read().execute_batch(KEY_ROWS).unwrap();
    let on: i64 = store
        .read()
        .query_row("PRAGMA recursive_triggers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        on, 1,
        "REPLACE fires delete triggers only with recursive_triggers on"
    );

    let mut failures = Vec::new();
    for &(table, key, update) in GUARDED {
        let before = row(&store, table, key);
        let mut attempts = vec![
            ("DELETE", format!("DELETE FROM {table} WHERE {key}")),
            (
                "REPLACE",
                format!("REPLACE INTO {table} SELECT * FROM {table} WHERE {key}"),
            ),
        ];
        if let Some(set) = update {
            attempts.push(("UPDATE", format!("UPDATE {table} SET {set} WHERE {key}")));
        }
        for (what, sql) in attempts {
            match store.read().execute(&sql, []) {
                Ok(_) => failures.push(format!("{table}: {what} was allowed")),
                // Refused by a trigger's RAISE, not by some other constraint.
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_TRIGGER => {}
                Err(e) => failures.push(format!("{table}: {what} refused for another reason: {e}")),
            }
            if row(&store, table, key) != before {
                failures.push(format!("{table}: {what} changed the row"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Edits that the rules allow still go through: a draft's body, a visit
/// whose note is not signed, a patient's details, a user's account, a
/// current observation marked in error.
#[test]
fn what_the_rules_allow_still_goes_through() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::create(&dir.path().join("chartroom.db"), &KEY).unwrap();
    store.read().execute_batch(ROWS).unwrap();
    store
        .read()
        .execute_batch(
            "INSERT INTO encounter (id, patient_id, encounter_date, provider_id, kind, reason, status,
                 created_at, created_by)
                 VALUES (2, 1, '2026-03-03', 1, 'office', 'rash', 'active', '2026-03-03', 1);
             INSERT INTO note (id, patient_id, encounter_id, kind, status, body, version, created_at,
                 created_by, updated_at, updated_by)
                 VALUES (2, 1, 2, 'soap', 'draft', 'S: rash', 1, '2026-03-03', 1, '2026-03-03', 1);
             UPDATE note SET body = 'S: itchy rash' WHERE id = 2;
             UPDATE encounter SET reason = 'itchy rash' WHERE id = 2;
             UPDATE patient SET given_name = 'Adaeze' WHERE id = 1;
             UPDATE user_account SET disabled = 1 WHERE id = 1;
             UPDATE observation SET status = 'entered_in_error' WHERE id = 1;
             UPDATE note SET status = 'entered_in_error' WHERE id = 1;",
        )
        .unwrap();
    let reason: String = store
        .read()
        .query_row("SELECT reason FROM encounter WHERE id = 2", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(reason, "itchy rash");
}
