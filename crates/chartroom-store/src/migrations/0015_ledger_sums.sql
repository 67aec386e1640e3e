-- An account's ledger added up without reading its entries. The entries
-- of one account lie far apart in the table (every account posts every
-- day), so adding them up there reads a page for nearly every entry; these
-- indexes hold what the sums need, in the order they are grouped:
-- the balances by kind and party, and what each payer still has pending
-- on each charge (and the patient's side on each, payer_id NULL).
CREATE INDEX ledger_sums_by_account ON ledger_entry(account_id, kind, payer_id, cents);
CREATE INDEX ledger_owed_by_account ON ledger_entry(account_id, payer_id, charge_id, cents);
