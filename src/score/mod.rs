//! Scoring extracted events against hand-made gold files.
//!
//! This layer reads files, not text: the predicted events are read loosely from the JSON
//! Lines contract (`score_events.py`'s docstring), not as `model::Statement`, so it scores
//! the output of older geokg builds and of other extractors alike, and it knows nothing
//! of parsing or extraction. `matching` holds the scorer's comparisons, `events` the
//! report built on them.

pub mod events;
pub mod matching;

pub use events::{
    evaluate_files, parse_gold, parse_predictions, read_gold, read_predictions, score, Candidate,
    ClassCount, Counts, EventReport, FalsePositive, Figures, GoldEvent, Level, Lines, Miss,
    MissClass, Party, Prediction, RootCount, RootRecall, WrongDate,
};
