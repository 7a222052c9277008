//! Chapter 6's exercises (being written).
