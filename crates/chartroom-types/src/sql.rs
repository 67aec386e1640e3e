//! The typed ids as SQL values: `ToSql` and `FromSql`, so the store binds
//! and reads an id as the integer it is. Compiled only with the `sql`
//! feature, which only `chartroom-store` turns on (the tidy test
//! `only_the_store_depends_on_sqlite` checks it), so no other crate links
//! SQLite. This file is the one place outside the store that names it.

/// `ToSql` and `FromSql` for one id newtype over `i64`.
macro_rules! sql_id {
    ($name:ident) => {
        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(
                v: rusqlite::types::ValueRef<'_>,
            ) -> rusqlite::types::FromSqlResult<Self> {
                i64::column_result(v).map($name)
            }
        }
    };
}

pub(crate) use sql_id;
