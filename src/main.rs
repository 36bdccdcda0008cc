//! The `geokg` command line: parses arguments and calls the library.

fn main() {
    println!("geokg {}", env!("CARGO_PKG_VERSION"));
}
