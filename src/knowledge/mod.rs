//! Knowledge read from data files: the actor gazetteer, the CAMEO table, the event lexicon,
//! the entity lexicon and the place gazetteer. Loaders only; no text analysis happens here.

pub mod actors;
pub mod anaphora;
pub mod cameo;
pub mod entities;
pub mod evaluation;
pub mod lexicon;
pub mod petrarch;
pub mod places;

pub use actors::{
    Actor, ActorId, DatedRole, Gazetteer, Gender, LeaderNoun, NameKind, NameMatch, PhoenixCounts,
    RoleKind, RoleNoun, TitleMatch,
};
pub use cameo::{CameoCode, CameoTable};
pub use entities::EntityLexicon;
pub use lexicon::{EventLexicon, LexiconEntry, TriggerPos};
pub use places::{CountryPlace, LatLon, Place, PlaceId, PlaceKind, PlaceMatch, Places};
