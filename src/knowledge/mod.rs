//! Knowledge that lives in data files: the CAMEO codebook and the event lexicon.

pub mod cameo;
pub mod lexicon;

pub use cameo::{CameoCode, CameoTable};
pub use lexicon::{EventLexicon, LexiconEntry, TriggerPos};
