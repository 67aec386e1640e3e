//! Load time and search latency of the ICD-10-CM index.
//!
//! Run in release: `cargo run --release -p chartroom-codes --example icd_bench`.
//! Prints the load time (best and median of 5 loads) and p50/p99/max search
//! latency over realistic picker queries, including every prefix a clinician
//! produces while typing some of them ("h", "hy", "hyp", ...).

use std::time::{Duration, Instant};

use chartroom_codes::Icd10Index;

const QUERIES: &[&str] = &[
    "type 2 diabetes",
    "diabetes type 2",
    "type 2 diab",
    "t2dm",
    "dm",
    "dm2",
    "htn",
    "hypertension",
    "I10",
    "e119",
    "E11",
    "E11.65",
    "copd",
    "asthma",
    "chf",
    "heart failure",
    "cad",
    "coronary artery disease",
    "uti",
    "urinary tract infection",
    "gerd",
    "reflux",
    "mi",
    "myocardial infarction",
    "afib",
    "atrial fibrillation",
    "hld",
    "hyperlipidemia",
    "osa",
    "sleep apnea",
    "anemia",
    "anémie",
    "iron deficiency anemia",
    "ckd",
    "ckd stage 3",
    "chronic kidney disease stage 3a",
    "obesity",
    "morbid obesity bmi 40",
    "depression",
    "major depressive disorder recurrent",
    "anxiety",
    "generalized anxiety",
    "insomnia",
    "migraine",
    "migraine without aura",
    "headache",
    "low back pain",
    "back pain",
    "neck pain",
    "knee pain right",
    "osteoarthritis knee",
    "hip fracture",
    "fracture femur",
    "fracture neck of right femur",
    "ankle sprain",
    "sprain left ankle initial",
    "cough",
    "fever",
    "sore throat",
    "strep throat",
    "sinusitis",
    "acute sinusitis",
    "bronchitis",
    "pneumonia",
    "covid",
    "covid-19",
    "influenza",
    "otitis media",
    "conjunctivitis",
    "cellulitis",
    "cellulitis left leg",
    "abscess",
    "rash",
    "eczema",
    "psoriasis",
    "acne",
    "hypothyroidism",
    "hyperthyroidism",
    "vitamin d deficiency",
    "b12 deficiency",
    "constipation",
    "diarrhea",
    "abdominal pain",
    "chest pain",
    "shortness of breath",
    "dizziness",
    "syncope",
    "fatigue",
    "weight loss",
    "dementia",
    "alzheimer",
    "parkinson",
    "stroke",
    "tia",
    "dvt",
    "pulmonary embolism",
    "pe",
    "gout",
    "rheumatoid arthritis",
    "lupus",
    "osteoporosis",
    "bph",
    "prostate cancer",
    "breast cancer",
    "lung cancer",
    "colon polyp",
    "pregnancy",
    "annual physical",
    "well child",
    "immunization",
    "tobacco use",
    "nicotine dependence",
    "alcohol use disorder",
    "opioid dependence",
    "adhd",
    "autism",
    "z00.00",
    "s72",
    "M54.5",
    "J45",
    "pnuemonia",
    "diabetis",
    "xqzvw",
];

/// Queries typed one character at a time.
const TYPED: &[&str] = &[
    "hypertension",
    "type 2 diabetes",
    "atrial fibrillation",
    "pneumonia",
    "low back pain",
    "chronic obstructive",
    "fracture",
];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() -> Result<(), chartroom_codes::CodesError> {
    let mut loads = Vec::new();
    let mut index = None;
    for _ in 0..5 {
        let start = Instant::now();
        let loaded = Icd10Index::load()?;
        loads.push(start.elapsed());
        index = Some(loaded);
    }
    let Some(index) = index else { return Ok(()) };
    loads.sort();
    println!(
        "load: best {:.1} ms, median {:.1} ms ({} codes, {} billable)",
        loads[0].as_secs_f64() * 1e3,
        loads[2].as_secs_f64() * 1e3,
        index.len(),
        index.billable_count()
    );

    let mut queries: Vec<String> = QUERIES.iter().map(|q| q.to_string()).collect();
    for q in TYPED {
        for end in 1..=q.len() {
            queries.push(q[..end].to_string());
        }
    }

    // Warm up, then time every query several times.
    for q in &queries {
        std::hint::black_box(index.search(q, 20));
    }
    let mut times = Vec::new();
    let mut slowest = (Duration::ZERO, String::new());
    for _ in 0..5 {
        for q in &queries {
            let start = Instant::now();
            let hits = index.search(q, 20);
            let t = start.elapsed();
            std::hint::black_box(hits);
            if t > slowest.0 {
                slowest = (t, q.clone());
            }
            times.push(t);
        }
    }
    times.sort();
    println!(
        "search (limit 20): {} timings over {} distinct queries: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms (slowest: {:?})",
        times.len(),
        queries.len(),
        percentile(&times, 0.50).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
        slowest.1
    );

    if std::env::args().any(|a| a == "--show") {
        for q in QUERIES {
            let hits = index.search(q, 3);
            let top: Vec<String> = hits
                .iter()
                .map(|h| format!("{} {}", h.code, h.description))
                .collect();
            println!("{q:>32} -> {}", top.join(" | "));
        }
    }
    Ok(())
}
