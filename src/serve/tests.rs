//! Protocol behaviour through the router, without a socket.
