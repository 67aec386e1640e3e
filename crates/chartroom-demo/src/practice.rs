//! A synthetic demo practice: deterministic patients (same seed, same
//! people) with names from many languages, and one login per role. No real
//! person's data; phone numbers use the fictional 555-01xx range. The
//! patients are written in a [`Ctx`], in transactions of a thousand.

use chartroom_store::audit;
use chartroom_store::model::{
    AuditAction, DataCategory, PatientFields, PreferredContact, Role, Sex,
};
use chartroom_store::patients;
use chartroom_types::{PatientId, UserId};
use chrono::NaiveDate;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use chartroom_core::{Actor, Ctx, Error, Result};

/// The password of every demo login.
pub const DEMO_PASSWORD: &str = "chartroom-demo";

/// Demo logins: username, full name, credentials, roles.
pub const DEMO_USERS: &[(&str, &str, &str, &[Role])] = &[
    ("desk", "Dana Front", "", &[Role::FrontDesk]),
    ("doctor", "Maya Patel", "MD", &[Role::Clinician]),
    ("billing", "Ben Ledger", "", &[Role::Billing]),
    ("manager", "Mia Manager", "", &[Role::PracticeManager]),
];

/// The demo doctor's NPI (a valid check digit, no one's number), printed
/// as the rendering provider on the demo practice's claims.
pub const DEMO_CLINICIAN_NPI: &str = "1245319508";

/// The demo practice's referral address book (fictional providers,
/// 555-01xx numbers, NPIs with valid check digits that belong to nobody
/// known): name, specialty, practice, address, phone, fax, NPI.
pub const DEMO_REFERRAL_PROVIDERS: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
    (
        "Dr Ada Heartwell",
        "Cardiology",
        "Willamette Heart Associates",
        "2800 SW Cardiac Way, Suite 4\nPortland, OR 97239",
        "(503) 555-0160",
        "(503) 555-0161",
        "1987654328",
    ),
    (
        "Dr Kenji Morita",
        "Endocrinology",
        "Rose City Endocrine Clinic",
        "415 NE Glisan St\nPortland, OR 97232",
        "(503) 555-0170",
        "(503) 555-0171",
        "1456789019",
    ),
    (
        "Dr Lucía Fernández",
        "Dermatology",
        "Pearl District Dermatology",
        "1020 NW 11th Ave\nPortland, OR 97209",
        "(503) 555-0180",
        "(503) 555-0181",
        "1765432103",
    ),
];

const FAMILY: &[&str] = &[
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodríguez",
    "Martínez",
    "Hernández",
    "López",
    "González",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Pérez",
    "Thompson",
    "White",
    "Harris",
    "Sánchez",
    "Clark",
    "Ramírez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyễn",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Roberts",
    "Trần",
    "Lê",
    "Phạm",
    "Đặng",
    "Kim",
    "Park",
    "Chen",
    "Wang",
    "Li",
    "Zhang",
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "O'Brien",
    "O'Connor",
    "Murphy",
    "Kelly",
    "Sullivan",
    "Kowalski",
    "Nowak",
    "Wiśniewski",
    "Novák",
    "Svoboda",
    "Ivanov",
    "Petrov",
    "Okafor",
    "Adeyemi",
    "Mensah",
    "Haddad",
    "Khalil",
    "Said",
    "Cohen",
    "Levi",
    "Friedman",
    "Rossi",
    "Russo",
    "Ferrari",
    "Esposito",
    "Silva",
    "Santos",
    "Oliveira",
    "Souza",
    "Costa",
    "Yamamoto",
    "Tanaka",
    "Suzuki",
    "Sato",
    "Watanabe",
    "Singh",
    "Kumar",
    "Sharma",
    "Gupta",
    "Shah",
    "Ahmed",
    "Hussain",
    "Ali",
    "Khan",
    "Begum",
    "Johansson",
    "Andersson",
    "Nilsson",
    "Larsen",
    "Hansen",
    "Jensen",
    "Dubois",
    "Lefèvre",
    "Moreau",
    "Girard",
];

const GIVEN_F: &[&str] = &[
    "Mary",
    "Patricia",
    "Jennifer",
    "Linda",
    "Elizabeth",
    "Barbara",
    "Susan",
    "Jessica",
    "Sarah",
    "Karen",
    "Lisa",
    "Nancy",
    "Betty",
    "Sandra",
    "Ashley",
    "Emily",
    "Michelle",
    "Amanda",
    "Melissa",
    "Stephanie",
    "Ánh",
    "Thị Ánh",
    "Lan",
    "Hương",
    "Mai",
    "Sofía",
    "María José",
    "Lucía",
    "Valentina",
    "Camila",
    "Zoë",
    "Chloé",
    "Amélie",
    "Ingrid",
    "Astrid",
    "Aoife",
    "Siobhán",
    "Fatima",
    "Aisha",
    "Amara",
    "Chiamaka",
    "Ngozi",
    "Yuki",
    "Sakura",
    "Mei",
    "Priya",
    "Ananya",
    "Olga",
    "Agnieszka",
    "Renée",
];

const GIVEN_M: &[&str] = &[
    "James",
    "Robert",
    "John",
    "Michael",
    "David",
    "William",
    "Richard",
    "Joseph",
    "Thomas",
    "Charles",
    "Christopher",
    "Daniel",
    "Matthew",
    "Anthony",
    "Mark",
    "Donald",
    "Steven",
    "Paul",
    "Andrew",
    "Joshua",
    "Bảo",
    "Minh",
    "Quang",
    "Đức",
    "Hùng",
    "José",
    "Juan",
    "Luis",
    "Carlos",
    "Jesús",
    "Jürgen",
    "Björn",
    "Søren",
    "François",
    "Noël",
    "Seán",
    "Liam",
    "Omar",
    "Yusuf",
    "Ibrahim",
    "Chidi",
    "Kwame",
    "Hiroshi",
    "Kenji",
    "Wei",
    "Arjun",
    "Rahul",
    "Dmitri",
    "Piotr",
    "Tomás",
];

const STREETS: &[&str] = &[
    "Oak St",
    "Maple Ave",
    "Cedar Ln",
    "Elm St",
    "Pine Rd",
    "Birch Way",
    "Willow Ct",
    "Lakeview Dr",
    "Hillcrest Blvd",
    "Main St",
];
const CITIES: &[(&str, &str, &str)] = &[
    ("Portland", "OR", "972"),
    ("Salem", "OR", "973"),
    ("Eugene", "OR", "974"),
    ("Vancouver", "WA", "986"),
    ("Beaverton", "OR", "970"),
];

/// The `i`-th demo patient for `seed`.
pub fn patient(rng: &mut StdRng) -> PatientFields {
    let female = rng.gen_bool(0.52);
    let given_list = if female { GIVEN_F } else { GIVEN_M };
    let family = FAMILY[rng.gen_range(0..FAMILY.len())];
    let given = given_list[rng.gen_range(0..given_list.len())];
    let middle = if rng.gen_bool(0.3) {
        given_list[rng.gen_range(0..given_list.len())]
    } else {
        ""
    };
    let year = rng.gen_range(1930..=2025);
    let birth_date = NaiveDate::from_ymd_opt(year, rng.gen_range(1..=12), rng.gen_range(1..=28))
        .unwrap_or_default();
    let (city, state, zip) = CITIES[rng.gen_range(0..CITIES.len())];
    let area = ["503", "971", "541", "360"][rng.gen_range(0..4)];
    let phone = |rng: &mut StdRng| format!("{area}555{:04}", rng.gen_range(100..200));
    let phone_mobile = phone(rng);
    let phone_home = if rng.gen_bool(0.3) {
        phone(rng)
    } else {
        String::new()
    };
    let fold = chartroom_store::search::fold_words(given).join("");
    let email = if rng.gen_bool(0.6) {
        format!(
            "{}.{}@example.com",
            fold,
            chartroom_store::search::fold_words(family).join("")
        )
    } else {
        String::new()
    };
    PatientFields {
        family_name: family.to_string(),
        given_name: given.to_string(),
        middle_name: middle.to_string(),
        preferred_name: String::new(),
        birth_date,
        sex: if female { Sex::Female } else { Sex::Male },
        gender_identity: String::new(),
        address_line1: format!(
            "{} {}",
            rng.gen_range(1..9999),
            STREETS[rng.gen_range(0..STREETS.len())]
        ),
        address_line2: String::new(),
        city: city.to_string(),
        region: state.to_string(),
        postal_code: format!("{zip}{:02}", rng.gen_range(1..99)),
        phone_mobile,
        phone_home,
        phone_work: String::new(),
        preferred_contact: if email.is_empty() {
            PreferredContact::Phone
        } else {
            PreferredContact::Email
        },
        email,
        emergency_name: String::new(),
        emergency_relationship: String::new(),
        emergency_phone: String::new(),
    }
}

/// Synthetic patients, written in a [`Ctx`] like any handler's.
pub trait DemoPatients {
    /// Adds `count` synthetic patients in transactions of a thousand, each
    /// audited as one bulk creation. Needs a user in the practice.
    fn add_demo_patients(
        &mut self,
        count: usize,
        seed: u64,
        progress: &mut dyn FnMut(usize),
    ) -> Result<()>;
}

impl DemoPatients for Ctx<'_> {
    fn add_demo_patients(
        &mut self,
        count: usize,
        seed: u64,
        progress: &mut dyn FnMut(usize),
    ) -> Result<()> {
        let mut rng = StdRng::seed_from_u64(seed);
        let actor = Actor::system("demo-generator");
        let creator = demo_creator(self)?;
        let mut done = 0;
        while done < count {
            let batch = (count - done).min(1000);
            let people: Vec<PatientFields> = (0..batch).map(|_| patient(&mut rng)).collect();
            self.write(|tx, now| {
                let mut first = None;
                let mut last = PatientId(0);
                for f in &people {
                    let p = patients::insert(tx, f, creator, now)?;
                    first.get_or_insert(p.mrn.clone());
                    last = p.id;
                }
                audit::append(
                    tx,
                    now,
                    &actor.event(
                        AuditAction::Create,
                        DataCategory::Demographics,
                        None,
                        format!("patient/..{last}"),
                        format!(
                            "demo data: {} synthetic patients from MRN {}",
                            people.len(),
                            first.unwrap_or_default()
                        ),
                    ),
                )?;
                Ok(())
            })?;
            done += batch;
            progress(done);
        }
        Ok(())
    }
}

/// The user the demo patients are registered by: the front desk's.
pub(crate) fn demo_creator(ctx: &Ctx<'_>) -> Result<UserId> {
    let users = chartroom_store::users::list(ctx.read())?;
    users
        .iter()
        .find(|u| u.roles.contains(&Role::FrontDesk))
        .or(users.first())
        .map(|u| u.id)
        .ok_or_else(|| Error::Internal("the practice has no users yet".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_people() {
        let a: Vec<_> = {
            let mut r = StdRng::seed_from_u64(7);
            (0..50).map(|_| patient(&mut r)).collect()
        };
        let b: Vec<_> = {
            let mut r = StdRng::seed_from_u64(7);
            (0..50).map(|_| patient(&mut r)).collect()
        };
        let c: Vec<_> = {
            let mut r = StdRng::seed_from_u64(8);
            (0..50).map(|_| patient(&mut r)).collect()
        };
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn demo_patients_pass_registration_rules() {
        let mut r = StdRng::seed_from_u64(1);
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        for _ in 0..500 {
            let f = patient(&mut r);
            let input = chartroom_patients::protocol::PatientInput {
                family_name: f.family_name.clone(),
                given_name: f.given_name.clone(),
                middle_name: f.middle_name.clone(),
                birth_date: f.birth_date.to_string(),
                sex: f.sex.as_str().into(),
                address_line1: f.address_line1.clone(),
                city: f.city.clone(),
                region: f.region.clone(),
                postal_code: f.postal_code.clone(),
                phone_mobile: f.phone_mobile.clone(),
                phone_home: f.phone_home.clone(),
                email: f.email.clone(),
                preferred_contact: f.preferred_contact.as_str().into(),
                ..Default::default()
            };
            let v = chartroom_patients::validate::patient(&input, today)
                .unwrap_or_else(|e| panic!("{e:?} for {input:?}"));
            assert_eq!(v, f);
        }
    }
}
