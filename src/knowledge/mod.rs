//! Knowledge read from data files: the actor gazetteer (and, beside it, the CAMEO table and
//! the event lexicon). Loaders only; no text analysis happens here.

pub mod actors;

pub use actors::{
    Actor, ActorId, DatedRole, Gazetteer, Gender, LeaderNoun, NameKind, NameMatch, RoleKind,
    RoleNoun, TitleMatch,
};
